"""The search tokens are built safely by concurrent web threads (issue 9 §4).

Snowball's stemmer objects keep state while stemming; one shared by the threads of
a web process answered ``IndexError`` when two cold page renders built search
documents at once (found by `make bench`'s concurrent warm-up).
"""

from concurrent.futures import ThreadPoolExecutor

from paco.catalog import search


def test_word_forms_from_many_threads_match_one_thread():
    words = [f"{stem}{n}ções" for n in range(400) for stem in ("iluminação", "alvará", "certidão")]
    search.word_forms.cache_clear()
    expected = [search.word_forms(w) for w in words]
    search.word_forms.cache_clear()
    with ThreadPoolExecutor(8) as pool:
        for _ in range(5):
            search.word_forms.cache_clear()
            assert list(pool.map(search.word_forms, words)) == expected
