"""Counts the work Python-Markdown does on a text, for tests that bound it (not time it).

The work is the characters Markdown's block and inline processors step through: every regular
expression search (from where it starts to where it matched, or to the end when it did not),
and the Python loops that scan for the end of a code span or a link. Backtracking inside one
regular expression is not counted; none of Markdown's patterns backtracks far.
"""

import re

import markdown
from markdown.inlinepatterns import BacktickInlineProcessor, LinkInlineProcessor


class WorkCounter:
    def __init__(self):
        self.steps = 0


class _CountingPattern:
    def __init__(self, compiled: re.Pattern, counter: WorkCounter):
        self.compiled, self.counter = compiled, counter

    def __getattr__(self, name):
        return getattr(self.compiled, name)

    def search(self, string, pos=0, *args):
        found = self.compiled.search(string, pos, *args)
        self.counter.steps += (found.end() if found else len(string)) - pos + 1
        return found

    def match(self, string, pos=0, *args):
        found = self.compiled.match(string, pos, *args)
        self.counter.steps += (found.end() - pos if found else 0) + 1
        return found

    def finditer(self, string, pos=0, *args):
        at = pos
        for found in self.compiled.finditer(string, pos, *args):
            self.counter.steps += found.end() - at + 1
            at = found.end()
            yield found
        self.counter.steps += len(string) - at

    def split(self, string, *args):
        self.counter.steps += len(string)
        return self.compiled.split(string, *args)

    def sub(self, repl, string, *args):
        self.counter.steps += len(string)
        return self.compiled.sub(repl, string, *args)

    def findall(self, string, *args):
        self.counter.steps += len(string)
        return self.compiled.findall(string, *args)


def count_markdown_work(monkeypatch) -> WorkCounter:
    """Patch Markdown (for this test only) so every conversion adds its work to the counter."""
    counter = WorkCounter()
    convert = markdown.Markdown.convert

    def counting_convert(self, source):
        processors = [
            *self.preprocessors,
            *self.parser.blockprocessors,
            *self.inlinePatterns,
            *self.treeprocessors,
            *self.postprocessors,
        ]
        for processor in processors:
            names = {*vars(processor), *dir(type(processor))}
            for name in names:
                value = getattr(processor, name, None)
                if isinstance(value, re.Pattern):
                    setattr(processor, name, _CountingPattern(value, counter))
        return convert(self, source)

    get_text, get_link = LinkInlineProcessor.getText, LinkInlineProcessor.getLink
    find_code_spans = BacktickInlineProcessor.find_code_spans

    def counting_get_text(self, data, index):
        result = get_text(self, data, index)
        counter.steps += result[1] - index
        return result

    def counting_get_link(self, data, index):
        result = get_link(self, data, index)
        counter.steps += result[2] - index
        return result

    def counting_find_code_spans(self, start, text):
        result = find_code_spans(self, start, text)
        counter.steps += (len(text) if result[1] is None else result[1]) - start
        return result

    monkeypatch.setattr(markdown.Markdown, "convert", counting_convert)
    monkeypatch.setattr(LinkInlineProcessor, "getText", counting_get_text)
    monkeypatch.setattr(LinkInlineProcessor, "getLink", counting_get_link)
    monkeypatch.setattr(BacktickInlineProcessor, "find_code_spans", counting_find_code_spans)
    return counter
