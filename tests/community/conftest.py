import re


def link_in(message, path_prefix: str) -> str:
    """The first link in an e-mail whose path starts with `path_prefix`, as a path for the test client."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}[^\s\"<]*)", message.body)
    assert match, f"no {path_prefix} link in:\n{message.body}"
    return match.group(1)
