"""The service description (``revenue.wsdl``), served with the address it was fetched from."""

from __future__ import annotations

from functools import cache
from importlib import resources

from lxml import etree

WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
WSDL_SOAP_NS = "http://schemas.xmlsoap.org/wsdl/soap/"
_WSDL_FILE = "revenue.wsdl"


@cache
def _template() -> bytes:
    return (resources.files(__package__) / _WSDL_FILE).read_bytes()


def wsdl_document(address: str) -> bytes:
    """The WSDL 1.1 document, its ``soap:address`` set to ``address``."""
    tree = etree.ElementTree(etree.fromstring(_template()))
    for location in tree.iterfind(f".//{{{WSDL_NS}}}port/{{{WSDL_SOAP_NS}}}address"):
        location.set("location", address)
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8")
