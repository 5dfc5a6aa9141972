"""Sub-commands of ``hub`` that live in modules of their own; each offers
``register(commands)`` to add its parser to the command line."""
