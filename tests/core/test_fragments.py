"""core.fragments: a page's fragments read in one cache read, each built and stored when missing."""

from django.core.cache import cache

from core.fragments import forget_fragments, fragment, read_fragments


def test_fragments_read_together_are_taken_from_that_read_and_the_missing_built_and_stored():
    cache.set("test-fragment:a", "A")
    found = read_fragments(["test-fragment:a", "test-fragment:b"])
    cache.set("test-fragment:a", "changed after the read")

    a = fragment("test-fragment:a", lambda: "built", found)
    b = fragment("test-fragment:b", lambda: "B", found)

    assert found == {"test-fragment:a": "A"}
    assert (a, b) == ("A", "B")
    assert cache.get("test-fragment:b") == "B"


def test_a_forgotten_fragment_is_missing_from_the_next_read(db, django_capture_on_commit_callbacks):
    cache.set("test-fragment:a", "A")

    with django_capture_on_commit_callbacks(execute=True):
        forget_fragments("test-fragment:a")

    assert read_fragments(["test-fragment:a"]) == {}
    assert fragment("test-fragment:a", lambda: "rebuilt", read_fragments(["test-fragment:a"])) == "rebuilt"
