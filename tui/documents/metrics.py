"""How wide text is in bold Arial: for column widths that fit their longest word.

The advance widths of Arial Bold in thousandths of an em (the same as those
of Liberation Sans Bold, with which LibreOffice draws Arial, and of
Helvetica Bold), for the letters a table of caselog can hold; any other
character counts as the widest.
"""

from __future__ import annotations

_BY_WIDTH = {
    238: "'",
    278: ' ,./I\\ijlÌÍÎÏìíîï’',
    280: '|',
    333: '!()-:;[]`ft',
    389: '*r{}',
    474: '"',
    500: 'z“”',
    556: '#$0123456789J_aceksvxyàáâãäåçèéêëýÿ–',
    584: '+<=>^~',
    611: '?FLTZbdghnopqußðñòóôõöøùúûüþ',
    667: 'EPSVXYÈÉÊËÝÞ',
    722: '&ABCDHKNRUÀÁÂÃÄÅÇÐÑÙÚÛÜ',
    778: 'GOQwÒÓÔÕÖØ',
    833: 'M',
    889: '%mæ',
    944: 'W',
    975: '@',
    1000: 'Æ',
}
WIDTHS = {ch: w for w, chars in _BY_WIDTH.items() for ch in chars}
WIDEST = 1000


def text_width(text: str, size_pt: float) -> float:
    """The width of ``text`` in bold Arial at ``size_pt``, in cm."""
    ems = sum(WIDTHS.get(ch, WIDEST) for ch in text) / 1000
    return ems * size_pt * 2.54 / 72
