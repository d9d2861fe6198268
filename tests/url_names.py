"""Every named URL of the platform, for the tests that must classify each one (the security
matrix, the query counts): a new page that nobody classified fails them."""

from collections.abc import Collection, Iterator

from django.urls import URLPattern, URLResolver, get_resolver


def _walk(patterns, namespace: str | None = None) -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def named_urls(*, excluded_namespaces: Collection[str]) -> set[str]:
    """``namespace:name`` of every named URL (allauth's are not namespaced), without the
    namespaces given."""
    return {
        name
        for name in _walk(get_resolver().url_patterns)
        if name.split(":")[0] not in excluded_namespaces
    }
