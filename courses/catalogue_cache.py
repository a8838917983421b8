"""The catalogue's results (learning paths, course cards, pagination) as signed-out visitors see
them, cached.

Every signed-out visitor who asks the catalogue the same thing (search, filters, page) in the same
language sees the same results; only signed-in learners see their own status on each card, so
theirs are never cached. The generation is renewed whenever what a card shows can change: a page
published, unpublished, moved or deleted, a view restriction, a product, a vendor or an image
(courses.apps)."""

from community.fragment_cache import FragmentCache

catalogue_results = FragmentCache("courses:catalogue", seconds=5 * 60)
