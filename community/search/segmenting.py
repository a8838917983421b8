"""Chinese split into words for the search index and for queries.

Neither database can tell where one Chinese word ends and the next begins (the text has no
spaces), so each would see a whole sentence as one word. jieba's dictionary segmenter (rjieba, its
Rust port: the same dictionary and cuts, forty times faster than the Python one) puts spaces
between the words first; both databases then tokenise on the spaces. The backends in sqlite.py
and postgres.py mix in SegmentingIndex and SegmentingBackend."""

import re

import rjieba
from modelsearch import index
from modelsearch.query import And, Boost, Not, Or, Phrase, PlainText

# Han ideographs: the unified blocks and compatibility forms (Chinese, and kanji in Japanese).
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _index_words(run: str) -> list[str]:
    """The words of a run of Chinese for the index: jieba's, with the shorter words inside long
    ones (数据备份 gives 数据 备份 数据备份), and every two-character pair jieba did not give. A
    dictionary segmenter sometimes cuts across a word (先导出 becomes 先导 出); the pairs still hold
    导出, so a query for it finds the text."""
    words = rjieba.cut_for_search(run, False)
    pairs = dict.fromkeys(map(str.__add__, run, run[1:]))
    for word in words:
        pairs.pop(word, None)
    return words + list(pairs)


def text_segmented(text: str) -> str:
    """`text` as the index should store it: each run of Chinese replaced by its words, spaced."""
    return HAN_RUN.sub(lambda run: " " + " ".join(_index_words(run[0])) + " ", text)


def query_segmented(text: str) -> str:
    """A query's text with each run of Chinese cut into its words (jieba's precise mode: the
    words the query means, each of which the index holds), spaced, so all of them must match.
    Terms with no letter or digit (the comma of 交换机，重启) are left out: they match nothing, and
    SQLite would then match nothing for the whole query."""
    spaced = HAN_RUN.sub(lambda run: " " + " ".join(rjieba.cut(run[0], False)) + " ", text)
    return " ".join(term for term in spaced.split() if any(character.isalnum() for character in term))


def _value_segmented(value):
    """A search field's value (a string, or the lists and dicts that StreamFields give) segmented."""
    if isinstance(value, str):
        return text_segmented(value)
    if isinstance(value, list):
        return [_value_segmented(item) for item in value]
    if isinstance(value, dict):
        return {key: _value_segmented(item) for key, item in value.items()}
    return value


def _query_segmented(query):
    """The query object (or string) with the text of its terms and phrases segmented."""
    if isinstance(query, str):
        return query_segmented(query)
    if isinstance(query, PlainText):
        return PlainText(query_segmented(query.query_string), operator=query.operator, boost=query.boost)
    if isinstance(query, Phrase):
        return Phrase(query_segmented(query.query_string))
    if isinstance(query, (And, Or)):
        return type(query)([_query_segmented(subquery) for subquery in query.subqueries])
    if isinstance(query, Not):
        return Not(_query_segmented(query.subquery))
    if isinstance(query, Boost):
        return Boost(_query_segmented(query.subquery), query.boost)
    return query


def _unwrapped(obj):
    """The object itself, whether the indexer passes its `_Segmented` or (inside RelatedFields)
    a related object."""
    return obj.original if isinstance(obj, _Segmented) else obj


class _Unwrapping:
    """A search field that reads the object behind a `_Segmented` and segments what it reads."""

    def __init__(self, field):
        self.original = field

    def get_value(self, obj):
        return _value_segmented(self.original.get_value(_unwrapped(obj)))


class _SegmentedSearchField(_Unwrapping, index.SearchField):
    def __init__(self, field):
        index.SearchField.__init__(self, field.field_name, boost=field.boost, **field.kwargs)
        _Unwrapping.__init__(self, field)


class _SegmentedAutocompleteField(_Unwrapping, index.AutocompleteField):
    def __init__(self, field):
        index.AutocompleteField.__init__(self, field.field_name, **field.kwargs)
        _Unwrapping.__init__(self, field)


class _SegmentedRelatedFields(index.RelatedFields):
    def __init__(self, field):
        super().__init__(field.field_name, [_segmented_field(sub_field) for sub_field in field.fields])
        self.original = field

    def get_value(self, obj):
        return self.original.get_value(_unwrapped(obj))


def _segmented_field(field):
    for kind, segmented in (
        (index.SearchField, _SegmentedSearchField),
        (index.AutocompleteField, _SegmentedAutocompleteField),
        (index.RelatedFields, _SegmentedRelatedFields),
    ):
        if isinstance(field, kind):
            return segmented(field)
    return field


class _Segmented:
    """An object as the index reads it: its primary key and its search fields, whose text comes
    out segmented. The database backends' indexers ask an object for nothing else."""

    def __init__(self, obj):
        self.original = obj
        self.pk = obj.pk

    def get_search_fields(self):
        return [_segmented_field(field) for field in self.original.get_search_fields()]


class SegmentingIndex:
    """A database index that stores each object's text segmented."""

    def add_items(self, model, objs):
        super().add_items(model, [_Segmented(obj) for obj in objs])


class SegmentingBackend:
    """A database backend whose queries are segmented like the text they are matched against."""

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        return super()._search(query_compiler_class, _query_segmented(query), model_or_queryset, **kwargs)
