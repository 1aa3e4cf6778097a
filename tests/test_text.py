import pytest

from briefing.errors import InputError
from briefing.text import MAX_BYTES, read_article, sentence_spans, split_paragraphs


def test_utf8_bom_and_crlf_are_normalised(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes("\ufeffFirst paragraph.\r\n\r\nSecond “quoted” one.\r\n".encode("utf-8"))
    art = read_article(p)
    assert art.text == "First paragraph.\n\nSecond “quoted” one."
    assert art.encoding == "utf-8-sig"
    assert not art.warnings


def test_windows_1252_decodes_with_a_warning(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes("The council spent £24m on “care”.".encode("cp1252"))
    art = read_article(p)
    assert "£24m" in art.text and "“care”" in art.text
    assert art.encoding == "cp1252"
    assert art.warnings and "Windows-1252" in art.warnings[0]


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"   \n\n  ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
])
def test_bad_files_raise_one_clear_line(tmp_path, content, message):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(InputError) as e:
        read_article(p)
    assert message in str(e.value) and str(p) in str(e.value)
    assert "\n" not in str(e.value)


def test_missing_folder_and_oversized_files(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_article(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="folder"):
        read_article(tmp_path)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a " * (MAX_BYTES // 2 + 10))
    with pytest.raises(InputError, match="limit"):
        read_article(big)


def test_paragraphs_by_blank_lines_with_bullets():
    text = "One line.\nstill one paragraph.\n\nTwo.\n\n  • Bullet one\n  - Bullet two\n  * Bullet three"
    paras = split_paragraphs(text)
    assert [p.text for p in paras] == ["One line.\nstill one paragraph.", "Two.", "Bullet one", "Bullet two", "Bullet three"]
    assert [p.is_bullet for p in paras] == [False, False, True, True, True]
    assert all(text[p.start:p.end] == p.text for p in paras)


def test_paragraphs_by_single_newlines():
    text = "First para.\nSecond para.\n- a bullet"
    paras = split_paragraphs(text)
    assert [p.text for p in paras] == ["First para.", "Second para.", "a bullet"]
    assert paras[2].is_bullet


def test_sentences_stay_inside_paragraphs():
    text = "He said: “Yes.” She left. Mr Smith stayed.\n\nNext one."
    paras = split_paragraphs(text)
    spans = sentence_spans(text, paras)
    assert [text[s:e] for s, e in spans] == ["He said: “Yes.”", "She left.", "Mr Smith stayed.", "Next one."]
