"""Date and time formats of the site's languages (FORMAT_MODULE_PATH), so that every page writes a
date one way and a moment one way. English uses day, short month and year with a 24-hour clock,
unambiguous for the partners of every region; Simplified Chinese keeps Django's own formats
(2026年12月7日 14:05), which already follow that pattern."""
