"""Tests of the ticket domain: routing, SLAs and their configuration."""
