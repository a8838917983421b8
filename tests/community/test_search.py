"""The site's search backend on objects of Wagtail's own: related fields (an image's tags) are
segmented like the object's own text."""

import pytest
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.search.backends import get_search_backend

from community.search.segmenting import query_segmented, text_segmented


@pytest.mark.django_db
def test_a_chinese_tag_of_an_image_is_found_by_a_word_inside_it():
    image = Image.objects.create(title="机房照片", file=get_test_image_file())
    image.tags.add("数据备份方案")
    get_search_backend().add(image)
    assert list(Image.objects.search("备份")) == [image]
    assert list(Image.objects.search("机房")) == [image]


def test_english_and_numbers_pass_through_segmenting_unchanged():
    assert text_segmented("Check the MTU (1500) on tun0.") == "Check the MTU (1500) on tun0."
    assert query_segmented("MTU 1500") == "MTU 1500"


def test_chinese_next_to_latin_letters_is_split_from_them():
    assert text_segmented("IPsec隧道").split()[:2] == ["IPsec", "隧道"]
    assert query_segmented("IPsec隧道断开") == "IPsec 隧道 断开"
