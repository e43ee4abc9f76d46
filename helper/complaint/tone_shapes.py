"""Tone findings that need sentence structure, not a word list.

Threats come in shapes more than words: "再不…我就…", "信不信我…", "我会让你们…",
"我知道你们仓库在哪" — while "再不处理，我将向12315投诉" is a lawful next step and stays.
Sarcasm praises what it blames ("真是大开眼界呢"). A question put to the seller that
expects no answer is an accusation. Runs of ！！！, 。。。。 or …… raise the voice.

Every pattern is applied one sentence at a time and is bounded, so a 100,000-character
paste cannot make it backtrack quadratically; the tests time pathological input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from helper.models import LintCategory

SENTENCE = re.compile(r"[^。！？；!?;\n]*[。！？；!?;\n]?")
LAWFUL = re.compile(r"12315|消协|消费者协会|市场监管|工商|法院|起诉|诉讼|平台|客服介入|小二|介入|投诉|维权|依法|律师|仲裁")
"""A consequence through a lawful channel is a next step, not a threat."""
ULTIMATUM = re.compile(r"(?:再不|要是再不|如果再不|再这样)[^。！？；!?;]{0,16}?(?:我就|我会|我要|我将|就)"
                       r"(?P<rest>[^。！？；!?;]{0,40})")
THREATS = (
    re.compile(r"信不信我[^。！？；!?;]{0,40}"),
    re.compile(r"(?:我会|我要|我就|我一定|我保证|我非得)(?:让|叫|要)(?:你们|你|你家|你们店)[^。！？；!?;]{0,30}"),
    re.compile(r"知道你们?(?:的)?(?:仓库|公司|店|家|门店|地址)(?:在哪儿|在哪里|在哪)"),
    re.compile(r"找人(?:去|来|过去|上门|收拾|弄)"),
    re.compile(r"我(?:就|会|要|也要)[^。！？；!?;被]{0,6}骚扰"),
)
HARASSMENT_THREAT = THREATS[-1]
"""In a harassment complaint the buyer writes 骚扰 about the seller; only the other shapes apply."""
SARCASM = (
    re.compile(r"(?:真是|可真是|可真)[^。！？；!?;，,]{1,8}?(?:呢|啊|呀|哦)(?=[。！？；!?;，,~～]|$)"),
    re.compile(r"(?:谢谢|感谢)(?:你们|贵店|商家|卖家|客服)?让我[^。！？；!?;]{0,8}(?:见识|长|开眼)"),
    re.compile(r"好一个[^。！？；!?;，,]{2,12}"),
)
PUNCTUATION_RUN = re.compile(r"[!！?？]{2,}|。{2,}|…{3,}|\.{4,}|[~～]{3,}")
RHETORICAL_END = re.compile(r"(?:吗|呢)[？?]$")
ADDRESSEE = re.compile(r"你们|商家|卖家|客服|店家|店铺")
NEUTRAL_QUESTION = re.compile(r"请问|是否|能否|可否|何时|什么时候|多久|怎么处理|如何处理")
SHOUTING = re.compile(r"(?<![A-Za-z])[A-Z]{2,}(?:[ \t,.!?'-]+[A-Z]+){2,}(?![A-Za-z])")
"""Three or more all-capital words in a row; single acronyms (USB, SHA-256) are fine."""
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]"
                   "(?:[\uFE0F\u200D\U0001F3FB-\U0001F3FF]+[\U0001F000-\U0001FAFF\u2600-\u27BF]?)*")
QUOTE = re.compile(r"[“\"「『]([^“”\"「」『』\n]{1,200})[”\"」』]")
SAYS = re.compile(r"(?<![跟对和给向问])(?:卖家|客服|商家|店家|店主|掌柜|老板|对方|售后|他们|他|她|快递员|店铺)"
                  r"[^。！？；!?;“”\"「」]{0,14}?"
                  r"(?:说|回复|答复|回|称|表示|原话|发来|骂|写|留言|消息|道|问)[^。！？；!?;“”\"「」]{0,6}$")
"""The words before a quote that make it the seller's: their words are evidence, not the buyer's tone."""


@dataclass(frozen=True)
class Shape:
    start: int
    end: int
    category: LintCategory
    severity: str
    suggestion: str
    replacement: str | None = None


THREAT_ADVICE = "删除威胁性表述；如需升级，写明将依法向平台、12315 或法院反映即可。"


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    for m in SENTENCE.finditer(text):
        if m.group().strip():
            yield m.start(), m.group()


def find(text: str, harassment_case: bool) -> Iterator[Shape]:
    for m in PUNCTUATION_RUN.finditer(text):
        run = m.group()
        neutral = "？" if set(run) & {"?", "？"} else "……" if set(run) <= {"…", "."} else "。"
        yield Shape(m.start(), m.end(), LintCategory.punctuation, "low",
                    f"连续的标点改为一个“{neutral}”。", neutral)
    threats = THREATS[:-1] if harassment_case else THREATS
    for offset, sentence in _sentences(text):
        for m in ULTIMATUM.finditer(sentence):
            if not LAWFUL.search(m.group("rest")):
                yield Shape(offset + m.start(), offset + m.end(), LintCategory.threat, "high", THREAT_ADVICE)
        for pattern in threats:
            for m in pattern.finditer(sentence):
                yield Shape(offset + m.start(), offset + m.end(), LintCategory.threat, "high", THREAT_ADVICE)
        for pattern in SARCASM:
            for m in pattern.finditer(sentence):
                yield Shape(offset + m.start(), offset + m.end(), LintCategory.emotional, "medium",
                            "删除反讽的说法，直接写明发生了什么、希望怎么处理。")
        stripped = sentence.strip()
        if RHETORICAL_END.search(stripped) and ADDRESSEE.search(stripped) and not NEUTRAL_QUESTION.search(stripped):
            start = offset + len(sentence) - len(sentence.lstrip())
            yield Shape(start, start + len(stripped), LintCategory.emotional, "low",
                        "把反问改为陈述：写明发生了什么、希望卖家怎么处理。")
    for m in SHOUTING.finditer(text):
        yield Shape(m.start(), m.end(), LintCategory.shouting, "medium", "不要整句大写，改为正常大小写的平实陈述。",
                    m.group().capitalize())
    for m in EMOJI.finditer(text):
        yield Shape(m.start(), m.end(), LintCategory.emotional, "low", "删除表情符号：投诉表单常不接受，也显得情绪化。", "")


def seller_quotes(text: str) -> list[tuple[int, int]]:
    """Spans of quotes the sentence attributes to the seller (客服回复“…”, 卖家说：“…”)."""
    spans = []
    for m in QUOTE.finditer(text):
        before = re.split(r"[。！？；!?;\n]", text[max(0, m.start() - 40):m.start()])[-1]
        if SAYS.search(before):
            spans.append((m.start(), m.end()))
    return spans
