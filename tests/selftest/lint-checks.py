"""tests/selftest/lint-checks.py FILE...: a check is one command.

Reports every line of a shell suite where a check helper (check_*, expect_*,
pass, fail) is chained with &&, ||, |, ; or &: bash hands the helper only
its part, and the rest runs unjudged (`check_true N W [ a ] && [ b ]` passes
whatever b is). Prints "FILE:LINE: ..." per finding; exit 1 if any.
"""
import re
import shlex
import sys

HELPER = re.compile(r"^(check_\w+|expect_\w+|pass|fail)$")
CHAINS = {"&&", "||", "|", ";", "&", "|&"}


def logical_lines(text):
    """(first line number, text) of each logical line: continuations joined,
    here-documents skipped."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        start, line = i + 1, lines[i]
        while line.endswith("\\") and i + 1 < len(lines):
            i += 1
            line = line[:-1] + " " + lines[i]
        heredoc = re.search(r"<<-?\s*['\"]?(\w+)['\"]?", line)
        yield start, line
        i += 1
        if heredoc:
            end = heredoc.group(1)
            while i < len(lines) and lines[i].strip() != end:
                i += 1
            i += 1


def findings(path):
    for number, line in logical_lines(open(path).read()):
        try:
            lex = shlex.shlex(line, posix=True, punctuation_chars=True)
            lex.whitespace_split = True
            lex.commenters = "#"
            tokens = list(lex)
        except ValueError:
            continue  # an unbalanced quote spanning lines: not a check line
        if not tokens or not HELPER.match(tokens[0]):
            continue
        chained = [t for t in tokens[1:] if t in CHAINS]
        if chained:
            yield "%s:%d: %s is chained with %s: one check is one command" % (
                path, number, tokens[0], chained[0])


bad = [f for path in sys.argv[1:] for f in findings(path)]
print("\n".join(bad))
sys.exit(1 if bad else 0)
