"""What a strict Content-Security-Policy (script-src 'self', style-src 'self') would block in
an HTML page or template: inline ``<script>`` code, ``<style>`` blocks, ``style=`` attributes,
``on…=`` event handlers and ``javascript:`` URLs."""

import re

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_FORBIDDEN_ATTRIBUTE = re.compile(r"""\s(on[a-z]+|style)\s*=""", re.IGNORECASE)
_JAVASCRIPT_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.IGNORECASE)
# Data, not code: browsers don't run it, so the CSP doesn't apply.
_DATA_TYPES = re.compile(r"""type\s*=\s*["']application/(ld\+)?json["']""", re.IGNORECASE)


def inline_code(html: str) -> list[str]:
    """The pieces of ``html`` that need 'unsafe-inline' (empty if none)."""
    found = []
    for match in _SCRIPT.finditer(html):
        attributes, code = match.group(1), match.group(2)
        if _DATA_TYPES.search(attributes):
            continue
        if "src" not in attributes.lower() or code.strip():
            found.append(match.group(0)[:120])
    found += [m.group(0)[:120] for m in re.finditer(r"<style\b", html, re.IGNORECASE)]
    for tag in _TAG.finditer(html):
        if _FORBIDDEN_ATTRIBUTE.search(tag.group(0)) or _JAVASCRIPT_URL.search(tag.group(0)):
            found.append(tag.group(0)[:120])
    return found
