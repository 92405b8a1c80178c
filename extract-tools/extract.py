#!/usr/bin/env python3
"""Reduce the SQLite amalgamation to the code the ANC-DB shim can reach.

    python3 extract-tools/extract.py \\
        --amalgamation native/build/sqlite/sqlite3.c --shim native/ancdb.c \\
        --defines "$(SQLITE_DEFINES)" --out native/build/core

How it works (see extract-tools/README.md for the long version):

1. The shim is run through `gcc -E` with the real defines, with the full
   amalgamation standing in for the "ancdb_core.c" it includes.  Working on
   the preprocessed text means the graph only sees code that is actually
   compiled (#if blocks resolved) and every macro (sqlite3GlobalConfig,
   osRead, IOMETHODS, ...) is already expanded into the identifiers it uses.
   gcc's line markers map every token back to a line of the amalgamation.
2. The token stream is split into top-level constructs: function
   definitions, data definitions and everything else (types, prototypes,
   extern declarations), which is always kept.
3. Every identifier used by the shim's own code is a root.  The closure over
   "definition X mentions identifier Y" is kept; function-pointer tables keep
   every entry alive because their initialisers mention them.
4. Unreachable definitions are cut from the *original* amalgamation text,
   line-wise, keeping every preprocessor directive inside a cut range so the
   #if/#define structure is untouched.  A definition whose lines cannot be
   cut safely (it shares lines with another construct, it comes out of a
   macro such as IOMETHODS(...), ...) is kept and listed in the report.

Python 3.11, standard library only.  Deterministic: the same inputs give
byte-identical outputs.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field


class ExtractError(Exception):
    """An input the tool cannot handle; reported as 'extract: error: ...'."""


# ---------------------------------------------------------------------------
# 1. The original amalgamation, line by line
# ---------------------------------------------------------------------------

@dataclass
class LineInfo:
    """What a lexer knows about one physical line of the amalgamation."""
    starts_in_comment: bool
    ends_in_comment: bool
    code: str            # the line with comments blanked out, strings kept
    is_directive: bool   # first token is '#' (a preprocessor line)
    continues: bool      # ends with a backslash (next line is spliced on)
    in_directive: bool = False  # a directive line or one spliced onto it


def scan_lines(lines: list[str]) -> list[LineInfo]:
    """LineInfo for every line: comment state, directives, continuations."""
    infos = scan_physical_lines(lines)
    for k, li in enumerate(infos):
        prev = infos[k - 1] if k else None
        li.in_directive = li.is_directive or bool(
            prev and prev.continues and prev.in_directive)
    return infos


def scan_physical_lines(lines: list[str]) -> list[LineInfo]:
    """Track block comments and literals across the file.

    String and character literals end at the end of a line, as in gcc: an
    unmatched quote in an `#if 0` block of prose ("don't ...") only swallows
    the rest of its own line, so a '/*' after it is not a comment start.
    """
    infos = []
    in_comment = False
    prev_continues = False
    for line in lines:
        text = line.rstrip("\r\n")
        start_state = in_comment
        # Fast paths: most lines hold no comment or quote characters at all,
        # or are wholly inside a block comment.
        if not in_comment and not SPECIAL_RE.search(text):
            infos.append(LineInfo(False, False, text, not prev_continues
                                  and text.lstrip().startswith("#"), False))
            prev_continues = False
            continue
        if in_comment and "*/" not in text:
            continues = text.endswith("\\")
            infos.append(LineInfo(True, True, " " * len(text), False, continues))
            prev_continues = continues
            continue
        out = []
        i, n = 0, len(text)
        quote = None
        while i < n:
            c = text[i]
            if in_comment:
                if text.startswith("*/", i):
                    in_comment = False
                    out.append("  ")
                    i += 2
                else:
                    out.append(" ")
                    i += 1
            elif quote:
                out.append(c)
                if c == "\\" and i + 1 < n:
                    out.append(text[i + 1])
                    i += 2
                    continue
                if c == quote:
                    quote = None
                i += 1
            elif text.startswith("/*", i):
                in_comment = True
                out.append("  ")
                i += 2
            elif text.startswith("//", i):
                out.append(" " * (n - i))
                break
            else:
                if c in "\"'":
                    quote = c
                out.append(c)
                i += 1
        code = "".join(out)
        continues = text.endswith("\\")
        is_directive = (not prev_continues and not start_state
                        and code.lstrip().startswith("#"))
        infos.append(LineInfo(start_state, in_comment, code, is_directive,
                              continues))
        prev_continues = continues
    return infos


SPECIAL_RE = re.compile(r"""[/"'\\]""")

MARKER_RE = re.compile(
    r"^/\*{2,} (Begin file|End of|Continuing where we left off in) "
    r"(\S+) \*+/\s*$")


def source_files(lines: list[str]) -> list[str]:
    """Original source file of each line, from the amalgamation's markers."""
    stack = ["sqlite3.c"]
    result = []
    for line in lines:
        m = MARKER_RE.match(line)
        if m:
            what, name = m.groups()
            if what == "Begin file":
                stack.append(name)
            elif stack[-1] != name and what == "End of":
                raise ExtractError(f"line {len(result) + 1}: 'End of {name}' "
                                   f"while inside {stack[-1]}")
            elif what == "End of":
                if len(stack) > 1:
                    stack.pop()
            elif len(stack) == 1:    # Continuing ... in NAME, at the top
                stack[0] = name
            elif stack[-1] != name:  # Continuing where we left off in NAME
                raise ExtractError(f"line {len(result) + 1}: 'Continuing where "
                                   f"we left off in {name}' while in {stack[-1]}")
        result.append(stack[-1])
    return result


# ---------------------------------------------------------------------------
# 2. Preprocessing and tokens
# ---------------------------------------------------------------------------

def run_preprocessor(args, core_dir: str, core_name: str) -> str:
    """gcc -E the shim with the full amalgamation as its core file."""
    # The directory holding the full amalgamation goes first, so that a stale
    # ancdb_core.c on some other -I path can never be picked up instead.
    cmd = [args.cc, "-E", "-I", core_dir]
    cmd += split_flags(args.defines) + split_flags(args.cflags)
    for inc in args.include:
        cmd += ["-I", inc]
    cmd += ["-I", os.path.dirname(os.path.abspath(args.shim)) or "."]
    cmd.append(args.shim)
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              errors="surrogateescape")
    except FileNotFoundError:
        raise ExtractError(f"C compiler {args.cc!r} not found")
    if proc.returncode != 0:
        raise ExtractError("preprocessing the shim failed:\n  "
                           + " ".join(shlex.quote(c) for c in cmd) + "\n"
                           + proc.stderr.strip())
    return proc.stdout


def split_flags(s: str) -> list[str]:
    # Accept the value of a make variable pasted with its backslash-newlines.
    return shlex.split(s.replace("\\\n", " "))


TOKEN_RE = re.compile(r"""
    (?P<ws>[ \t\r\f\v]+)
  | (?P<str>(?:u8|[LuU])?"(?:\\.|[^"\\])*")
  | (?P<chr>[LuU]?'(?:\\.|[^'\\])*')
  | (?P<id>[A-Za-z_$][A-Za-z0-9_$]*)
  | (?P<num>\.?[0-9](?:[eEpP][+-]|[A-Za-z0-9_.])*)
  | (?P<punct>\.\.\.|<<=|>>=|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^!=]=|\#\#|.)
""", re.X)

LINEMARK_RE = re.compile(r'^#\s*(\d+)\s+"((?:\\.|[^"\\])*)"((?:\s+\d+)*)\s*$')

CORE, USER, SYSTEM = "core", "user", "system"


@dataclass
class Tokens:
    """The preprocessed token stream as parallel lists (cheap for 1M+ tokens)."""
    text: list[str] = field(default_factory=list)
    is_id: list[bool] = field(default_factory=list)
    line: list[int] = field(default_factory=list)      # line in its file
    origin: list[str] = field(default_factory=list)    # CORE / USER / SYSTEM


def tokenize(pp: str, core_path: str) -> Tokens:
    toks = Tokens()
    core_real = os.path.realpath(core_path)
    origin, lineno = USER, 1
    seen_core = False
    for raw in pp.split("\n"):
        if raw.startswith("#"):
            m = LINEMARK_RE.match(raw)
            if m:
                lineno = int(m.group(1))
                path, flags = m.group(2), m.group(3).split()
                if path.startswith("<"):          # <built-in>, <command-line>
                    origin = SYSTEM
                elif os.path.realpath(path) == core_real:
                    origin = CORE
                    seen_core = True
                elif "3" in flags:
                    origin = SYSTEM
                else:
                    origin = USER
                continue
            if raw.startswith("#pragma") or raw.startswith("#ident"):
                lineno += 1
                continue
            raise ExtractError(f"unexpected directive in gcc -E output: {raw[:80]!r}")
        for m in TOKEN_RE.finditer(raw):
            kind = m.lastgroup
            if kind == "ws":
                continue
            toks.text.append(m.group())
            toks.is_id.append(kind == "id")
            toks.line.append(lineno)
            toks.origin.append(origin)
        lineno += 1
    if not seen_core:
        raise ExtractError(
            "the preprocessed shim contains no code from the core file; does "
            "the shim #include it by that name, and is there no other copy "
            "next to the shim that would be found first?")
    return toks


# ---------------------------------------------------------------------------
# 3. Top-level constructs
# ---------------------------------------------------------------------------

# Words that look like identifiers but never name a definition: GNU
# attribute/asm syntax and operators on types.
BUILTIN_WORDS = {"__attribute__", "__attribute", "__asm__", "__asm", "asm",
                   "__declspec", "_Alignas", "__typeof__", "__typeof", "typeof",
                   "_Static_assert", "static_assert", "sizeof", "_Alignof",
                   "__alignof__", "__builtin_offsetof", "__builtin_va_arg"}

C_KEYWORDS = {
    "auto", "break", "case", "char", "const", "continue", "default", "do",
    "double", "else", "enum", "extern", "float", "for", "goto", "if", "inline",
    "int", "long", "register", "restrict", "return", "short", "signed",
    "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned",
    "void", "volatile", "while", "_Bool", "_Complex", "_Imaginary", "_Atomic",
    "_Noreturn", "_Thread_local", "_Alignas", "_Alignof", "_Generic",
    "__inline", "__inline__", "__restrict", "__restrict__", "__const",
    "__const__", "__volatile", "__volatile__", "__signed", "__signed__",
    "__extension__", "__thread", "__int128", "__int128_t", "__uint128_t",
    "_Float128", "_Float64", "_Float32", "__label__", "__builtin_va_list",
} | BUILTIN_WORDS


OPEN = {"(", "["}
CLOSE = {")", "]"}


@dataclass
class Construct:
    first: int          # index of the first token
    last: int           # index of the last token (';' or the body's '}')
    body: int = -1      # index of the function body's '{', or -1


def split_toplevel(toks: Tokens) -> list[Construct]:
    """Cut the token stream into top-level declarations and definitions."""
    text, n = toks.text, len(toks.text)
    out: list[Construct] = []
    i = 0
    while i < n:
        start = i
        depth = 0           # () and [] nesting
        saw_assign = False
        while True:
            if i >= n:
                raise ExtractError(
                    f"unterminated top-level construct starting at "
                    f"{describe(toks, start)}")
            t = text[i]
            if t in OPEN:
                depth += 1
            elif t in CLOSE:
                depth -= 1
            elif t == "=" and depth == 0:
                saw_assign = True
            elif t == "{":
                if i == start:
                    raise ExtractError(
                        f"a '{{' opens a top-level construct at "
                        f"{describe(toks, i)} (K&R definition or macro-made "
                        f"code the parser does not understand)")
                close = match_brace(toks, i)
                if depth == 0 and not saw_assign and is_function_body(toks, start, i):
                    out.append(Construct(start, close, body=i))
                    i = close + 1
                    break
                i = close          # struct/union/enum body or initialiser
            elif t == ";" and depth == 0:
                out.append(Construct(start, i))
                i += 1
                break
            i += 1
    return [c for c in out if c.last > c.first or toks.text[c.first] != ";"]


def match_brace(toks: Tokens, i: int) -> int:
    depth = 0
    text = toks.text
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    raise ExtractError(f"unbalanced '{{' at {describe(toks, i)}")


def is_function_body(toks: Tokens, start: int, brace: int) -> bool:
    """A '{' opens a function body when the declarator before it ends in ')'
    (after skipping trailing __attribute__((...)) groups)."""
    j = brace - 1
    text = toks.text
    while j >= start and text[j] == ")":
        k = match_paren_back(toks, j, start)
        if k - 1 >= start and text[k - 1] in ("__attribute__", "__attribute"):
            j = k - 2           # skip the attribute and look again
            continue
        return True
    return False


def match_paren_back(toks: Tokens, j: int, start: int) -> int:
    depth = 0
    text = toks.text
    for k in range(j, start - 1, -1):
        if text[k] == ")":
            depth += 1
        elif text[k] == "(":
            depth -= 1
            if depth == 0:
                return k
    raise ExtractError(f"unbalanced ')' at {describe(toks, j)}")


def describe(toks: Tokens, i: int) -> str:
    i = min(i, len(toks.text) - 1)
    ctx = " ".join(toks.text[i:i + 8])
    return f"{toks.origin[i]} line {toks.line[i]} ({ctx!r})"


def strip_attributes(toks: Tokens, lo: int, hi: int) -> list[int]:
    """Token indices in [lo, hi] minus __attribute__((..)), asm(..) etc."""
    text = toks.text
    keep = []
    i = lo
    skip_words = {"__attribute__", "__attribute", "__asm__", "__asm", "asm",
                  "__declspec"}
    while i <= hi:
        if text[i] in skip_words and i + 1 <= hi and text[i + 1] == "(":
            depth = 0
            j = i + 1
            while j <= hi:
                if text[j] == "(":
                    depth += 1
                elif text[j] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            i = j + 1
            continue
        if text[i] == "__extension__":
            i += 1
            continue
        keep.append(i)
        i += 1
    return keep


# ---------------------------------------------------------------------------
# 4. Definitions
# ---------------------------------------------------------------------------

@dataclass
class Definition:
    kind: str                       # "function", "data" or "prototype"
    names: list[str]
    first_line: int                 # lines in the amalgamation (1-based)
    last_line: int
    refs: set[str]                  # identifiers mentioned
    calls: set[str]                 # identifiers mentioned as NAME(
    file: str = ""
    cut_problem: str = ""           # why it cannot be cut ("" = can be cut)
    forced: str = ""                # why it is kept regardless of the graph
    cut_lines: set[int] = field(default_factory=set)  # lines to delete
    type_names: set[str] = field(default_factory=set)  # struct tags etc.

    @property
    def name(self) -> str:
        return self.names[0]


@dataclass
class Program:
    defs: list[Definition]
    fixed_refs: set[str]            # identifiers always-kept core code uses
                                    # in expressions (sizeof, array bounds)
    fixed_mentions: set[str]        # every identifier of always-kept code
    typedef_aliases: dict[str, set[str]]  # tag -> names of `typedef struct tag name;`
    shim_refs: set[str]             # identifiers used by the shim
    core_spans: list[tuple[int, int]]  # line span of every core construct
    token_lines: set[int]           # amalgamation lines that produced tokens


def analyse(toks: Tokens, constructs: list[Construct]) -> Program:
    defs: list[Definition] = []
    fixed_refs: set[str] = set()
    fixed_mentions: set[str] = set()
    aliases: dict[str, set[str]] = defaultdict(set)
    shim_refs: set[str] = set()
    spans = []
    for c in constructs:
        origins = set(toks.origin[c.first:c.last + 1])
        if CORE in origins and len(origins) > 1:
            raise ExtractError(
                f"a top-level construct crosses into or out of the core file at "
                f"{describe(toks, c.first)}")
        origin = toks.origin[c.first]
        if origin == SYSTEM:
            continue
        if origin == USER:
            shim_refs |= identifiers(toks, c.first, c.last)
            continue
        spans.append((toks.line[c.first], toks.line[c.last]))
        if c.body >= 0:
            defs.append(function_definition(toks, c))
            continue
        d = declaration(toks, c)
        if d is not None:
            defs.append(d)
            if d.kind != "prototype":
                continue
        if forward_typedef(toks, c):
            # `typedef struct X Y;` needs no complete struct X; Y names it.
            _, _, tag, alias, _ = toks.text[c.first:c.last + 1]
            aliases[tag].add(alias)
        else:
            fixed_refs |= expression_identifiers(toks, c.first, c.last)
            fixed_mentions |= identifiers(toks, c.first, c.last) - set(d.names if d else ())
    token_lines = {ln for ln, o in zip(toks.line, toks.origin) if o == CORE}
    return Program(defs, fixed_refs, fixed_mentions, aliases, shim_refs, spans,
                   token_lines)


def forward_typedef(toks: Tokens, c: Construct) -> bool:
    t = toks.text[c.first:c.last + 1]
    return (len(t) == 5 and t[0] == "typedef" and t[1] in ("struct", "union", "enum")
            and toks.is_id[c.first + 2] and toks.is_id[c.first + 3])


def identifiers(toks: Tokens, lo: int, hi: int) -> set[str]:
    text, is_id = toks.text, toks.is_id
    return {text[i] for i in range(lo, hi + 1)
            if is_id[i] and text[i] not in C_KEYWORDS}


def called(toks: Tokens, lo: int, hi: int) -> set[str]:
    text, is_id = toks.text, toks.is_id
    return {text[i] for i in range(lo, hi)
            if is_id[i] and text[i + 1] == "(" and text[i] not in C_KEYWORDS}


def function_definition(toks: Tokens, c: Construct) -> Definition:
    head = strip_attributes(toks, c.first, c.body - 1)
    text = toks.text
    name = None
    for k, i in enumerate(head[:-1]):
        if toks.is_id[i] and text[head[k + 1]] == "(" and text[i] not in C_KEYWORDS:
            name = text[i]
            break
    if name is None:
        raise ExtractError(f"cannot find the name of the function defined at "
                           f"{describe(toks, c.first)}")
    refs = identifiers(toks, c.first, c.last) - {name}
    calls = called(toks, c.body, c.last) - {name}
    return Definition("function", [name], toks.line[c.first], toks.line[c.last],
                      refs, calls)


def declaration(toks: Tokens, c: Construct) -> Definition | None:
    """Classify a ';'-terminated core construct.

    Data definitions (objects with storage) become Definitions.  Typedefs,
    struct/enum declarations, prototypes and extern declarations return None:
    they are always kept.
    """
    idx = strip_attributes(toks, c.first, c.last - 1)
    words = [toks.text[i] for i in idx]
    top = top_level_words(words)
    names, is_func = declared_names(words)
    if "typedef" in top or "_Static_assert" in top:
        return None
    if not names or ("extern" in top and "=" not in top):
        return None
    if all(is_func.values()):
        if "static" not in top:
            return None                        # extern prototype: harmless
        # A static prototype whose function is dropped would make gcc -Wall
        # warn "declared 'static' but never defined": it goes with the
        # function.  It references nothing (see analyse()).
        return Definition("prototype", sorted(names), toks.line[c.first],
                          toks.line[c.last], set(), set())
    all_ids = identifiers(toks, c.first, c.last)
    d = Definition("data", sorted(names), toks.line[c.first], toks.line[c.last],
                   all_ids - names, called(toks, c.first, c.last) - names)
    if any(is_func.values()):
        d.forced = "declares a function and an object in one declaration"
    # `static struct Tag {...} x = {...};` also defines the type struct Tag
    # (and enum constants): the definition then carries those names too, so
    # that it stays whenever anything mentions the type.
    d.type_names = defined_types(words) - names
    d.names += sorted(d.type_names)
    d.refs -= d.type_names
    return d


def defined_types(words: list[str]) -> set[str]:
    """Tags of struct/union/enum bodies and enum constants in a declaration."""
    out = set()
    for k, w in enumerate(words):
        if w not in ("struct", "union", "enum"):
            continue
        if k + 2 < len(words) and is_identifier(words[k + 1]) and words[k + 2] == "{":
            out.add(words[k + 1])
            body = k + 2
        elif k + 1 < len(words) and words[k + 1] == "{":
            body = k + 1
        else:
            continue
        if w == "enum":
            end = skip_group(words, body)
            for j in range(body + 1, end):
                if is_identifier(words[j]) and words[j - 1] in ("{", ",") \
                        and words[j + 1] in ("=", ",", "}"):
                    out.add(words[j])
    return out


SIZEOF_LIKE = {"sizeof", "typeof", "__typeof__", "__typeof", "_Alignof",
               "__alignof__", "_Static_assert", "static_assert",
               "__builtin_offsetof"}


def expression_identifiers(toks: Tokens, lo: int, hi: int) -> set[str]:
    """Identifiers that always-kept code (types, prototypes) uses as values:
    inside array bounds, sizeof/typeof(...), and after '=' or ':' (enum
    values, bit-field widths).  Member and parameter names are not values,
    and counting them would keep e.g. func.c's changes() alive only because
    sqlite3_api_routines has a member called changes."""
    text, is_id = toks.text, toks.is_id
    out: set[str] = set()
    i = lo
    while i <= hi:
        t = text[i]
        if t == "[" or (t in SIZEOF_LIKE and i + 1 <= hi and text[i + 1] == "("):
            j = i if t == "[" else i + 1
            end = match_group(toks, j, hi)
            out |= {text[k] for k in range(j, end) if is_id[k]}
            i = end + 1
            continue
        if t in ("=", ":"):
            j = i + 1
            depth = 0
            while j <= hi and not (depth == 0 and text[j] in (",", ";", "}")):
                if text[j] in GROUP_OPEN:
                    depth += 1
                elif text[j] in GROUP_CLOSE:
                    depth -= 1
                    if depth < 0:
                        break
                if is_id[j]:
                    out.add(text[j])
                j += 1
            i = j
            continue
        i += 1
    return out - C_KEYWORDS


def match_group(toks: Tokens, i: int, hi: int) -> int:
    depth = 0
    for j in range(i, hi + 1):
        if toks.text[j] in GROUP_OPEN:
            depth += 1
        elif toks.text[j] in GROUP_CLOSE:
            depth -= 1
            if depth == 0:
                return j
    raise ExtractError(f"unbalanced brackets at {describe(toks, i)}")


def top_level_words(words: list[str]) -> list[str]:
    """Words outside any (), [] or {} (the declaration specifiers etc.)."""
    out, depth = [], 0
    for w in words:
        if w in GROUP_OPEN:
            depth += 1
        elif w in GROUP_CLOSE:
            depth -= 1
        elif depth == 0:
            out.append(w)
    return out


GROUP_OPEN = {"(", "[", "{"}
GROUP_CLOSE = {")", "]", "}"}


def declared_names(words: list[str]) -> tuple[set[str], dict[str, bool]]:
    """Names declared by a declaration, and whether each is a function.

    For each comma-separated declarator (initialiser removed) the name is the
    first identifier that is not a keyword or a struct/union/enum tag and is
    followed by one of ( ) [ , : or the end -- a typedef name used as a type
    specifier is followed by the declarator instead, so it is skipped.  The
    name is a function if '(' follows it directly.
    """
    names: set[str] = set()
    is_func: dict[str, bool] = {}
    for decl in split_declarators(words):
        for k, w in enumerate(decl):
            if not is_identifier(w) or w in C_KEYWORDS:
                continue
            if k > 0 and decl[k - 1] in ("struct", "union", "enum"):
                continue                       # a tag, not a declarator
            nxt = decl[k + 1] if k + 1 < len(decl) else ";"
            if nxt in ("(", ")", "[", ",", ";", ":"):
                names.add(w)
                is_func[w] = nxt == "("
                break
    return names, is_func


def split_declarators(words: list[str]) -> list[list[str]]:
    """Split at top-level commas, leaving out initialisers and any
    struct/union/enum body."""
    out: list[list[str]] = []
    cur: list[str] = []
    depth, in_init, i = 0, False, 0
    while i < len(words):
        w = words[i]
        if w == "{" and depth == 0 and not in_init:
            i = skip_group(words, i) + 1       # a struct/union/enum body
            continue
        if w in GROUP_OPEN:
            depth += 1
        elif w in GROUP_CLOSE:
            depth -= 1
        elif depth == 0 and w == ",":
            out.append(cur)
            cur, in_init = [], False
            i += 1
            continue
        elif depth == 0 and w == "=":
            in_init = True
        if not in_init:
            cur.append(w)
        i += 1
    out.append(cur)
    return out


def skip_group(words: list[str], i: int) -> int:
    depth = 0
    for j in range(i, len(words)):
        if words[j] in GROUP_OPEN:
            depth += 1
        elif words[j] in GROUP_CLOSE:
            depth -= 1
            if depth == 0:
                return j
    raise ExtractError("unbalanced braces in a declaration")


ID_RE = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*$")


def is_identifier(w: str) -> bool:
    return bool(ID_RE.match(w))


# ---------------------------------------------------------------------------
# 5. Reachability
# ---------------------------------------------------------------------------

def index_by_name(defs: list[Definition]) -> dict[str, list[Definition]]:
    by_name: dict[str, list[Definition]] = defaultdict(list)
    for d in defs:
        for n in d.names:
            by_name[n].append(d)
    for n, ds in by_name.items():
        funcs = [d for d in ds if d.kind == "function"]
        if len(funcs) > 1:
            lines = ", ".join(str(d.first_line) for d in funcs)
            raise ExtractError(f"function {n} is defined more than once "
                               f"(lines {lines}); are the defines right?")
    return by_name


def closure(start: set[str], by_name, follow) -> set[int]:
    """ids of Definitions reachable from the identifiers in start.

    follow(d) gives the identifiers of d to follow further.
    """
    seen: set[int] = set()
    work = sorted(start)
    while work:
        name = work.pop()
        for d in by_name.get(name, ()):
            if id(d) in seen:
                continue
            seen.add(id(d))
            work.extend(sorted(follow(d)))
    return seen


# ---------------------------------------------------------------------------
# 6. Deciding what can be cut, and cutting
# ---------------------------------------------------------------------------

def check_cuttable(d: Definition, info: list[LineInfo], neighbours: tuple[int, int],
                   token_lines: set[int]) -> str:
    """Return "" if d's lines can be removed safely, else the reason why not."""
    s, e = d.first_line, d.last_line
    prev_end, next_start = neighbours
    if prev_end >= s or next_start <= e:
        return "shares a line with another top-level construct (macro-generated, e.g. IOMETHODS)"
    before = info[s - 2] if s >= 2 else None
    if (before and before.code.strip() and not before.in_directive
            and s - 1 not in token_lines):
        # e.g. `SQLITE_API` alone on the line above: it expands to nothing
        # here but is part of this declaration; leaving it would glue it to
        # whatever follows.
        return "the line above it holds code that expands to nothing (a macro?)"
    code = " ".join(info[k - 1].code for k in range(s, e + 1))
    for name in d.names:
        if not re.search(r"(?<![A-Za-z0-9_$])" + re.escape(name) + r"(?![A-Za-z0-9_$])", code):
            return f"its name {name} is not in its source lines (made by a macro)"
    terminator = "}" if d.kind == "function" else ";"
    if not info[e - 1].code.rstrip().endswith(terminator):
        return f"its last line does not end with '{terminator}' (macro-made code?)"
    if info[s - 1].starts_in_comment or (s >= 2 and info[s - 2].continues):
        return "its first line starts inside a comment or a continued line"
    return ""


def plan_cut(d: Definition, lines: list[str], info: list[LineInfo]) -> tuple[set[int], str]:
    """Lines (1-based) to delete for d, or (set(), reason) if that is not safe.

    Inside [first_line, last_line] every preprocessor directive (with its
    spliced lines and a comment it opens) stays, so #if/#endif nesting and
    any #define made inside a function body survive the cut.
    """
    s, e = d.first_line, d.last_line
    # A comment opened after the closing '}' or ';' goes with the definition.
    while info[e - 1].ends_in_comment:
        e += 1
        if info[e - 1].code.strip():
            return set(), "a comment after it ends on a line with code"
    drop: set[int] = set()
    k = s
    while k <= e:
        if not info[k - 1].is_directive:
            drop.add(k)
            k += 1
            continue
        # Keep the directive line and whatever belongs to it.
        while info[k - 1].continues or info[k - 1].ends_in_comment:
            spliced = info[k - 1].continues
            k += 1
            if k > e:
                return set(), "a directive inside it runs past its end"
            li = info[k - 1]
            if not spliced and not li.ends_in_comment and li.code.strip():
                return set(), "code follows a comment that starts on a directive line"
        k += 1
    if d.kind == "prototype":
        return drop, ""        # prototypes are grouped; leave their comments
    return drop | header_comment(s, lines, info), ""


def header_comment(s: int, lines: list[str], info: list[LineInfo]) -> set[int]:
    """The comment block that ends on the line right before line s.

    Only a block of comment-only lines, closed before line s, opening at the
    start of its first line and not glued to a directive, is taken.
    """
    k = s - 1
    if k < 1 or not is_comment_only(lines[k - 1], info[k - 1]) or info[k - 1].ends_in_comment:
        return set()
    block = [k]
    while info[k - 1].starts_in_comment:
        k -= 1
        if k < 1 or not is_comment_only(lines[k - 1], info[k - 1]):
            return set()
        block.append(k)
    if k >= 2 and (info[k - 2].continues or info[k - 2].ends_in_comment):
        return set()
    return set(block)


def is_comment_only(line: str, li: LineInfo) -> bool:
    """A comment line that is not one of the amalgamation's file markers."""
    return (bool(line.strip()) and not li.code.strip() and not li.continues
            and not FILE_MARKER_RE.match(line))


FILE_MARKER_RE = re.compile(r"^/\*{5,} (Begin file|End of|Continuing where|Include) ")


def tidy_blank_lines(remove: set[int], lines: list[str], info: list[LineInfo]) -> set[int]:
    """Also drop a blank line that a cut would leave right after another one."""
    out = set(remove)
    last_blank, gap = True, False
    for k in range(1, len(lines) + 1):
        if k in remove:
            gap = True
            continue
        blank = not lines[k - 1].strip()
        if (blank and last_blank and gap and not info[k - 1].starts_in_comment
                and not (k >= 2 and info[k - 2].continues)):
            out.add(k)
            continue
        last_blank, gap = blank, False
    return out


def validate_removal(remove: set[int], info: list[LineInfo]):
    """Every removed run must start and end outside comments and spliced
    lines; otherwise the text around it would change meaning.  Checked once
    more here because a mistake would silently corrupt the output."""
    for k in sorted(remove):
        before = k - 1
        if before >= 1 and before not in remove:
            if info[before - 1].continues or info[before - 1].ends_in_comment:
                raise ExtractError(f"internal error: cut at line {k} follows a "
                                   f"continued or commented line")
        if k + 1 not in remove and (info[k - 1].continues or info[k - 1].ends_in_comment):
            raise ExtractError(f"internal error: cut ending at line {k} leaves "
                               f"a continued line or an open comment")


# ---------------------------------------------------------------------------
# 7. Outputs
# ---------------------------------------------------------------------------

PALETTE = ["#fbb4ae", "#b3cde3", "#ccebc5", "#decbe4", "#fed9a6", "#ffffcc",
           "#e5d8bd", "#fddaec", "#f2f2f2", "#b3e2cd", "#fdcdac", "#cbd5e8",
           "#f4cae4", "#e6f5c9", "#fff2ae", "#f1e2cc", "#cccccc", "#8dd3c7"]


def write_text(path: str, s: str):
    """Write via a temporary file, so no reader (or make) sees half a file."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", errors="surrogateescape", newline="") as f:
        f.write(s)
    os.replace(tmp, path)


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Write a reduced SQLite amalgamation holding only what the "
                    "shim can reach.")
    p.add_argument("--amalgamation", required=True, help="patched sqlite3.c")
    p.add_argument("--shim", required=True,
                   help="the shim source that #includes the core (native/ancdb.c)")
    p.add_argument("--defines", required=True,
                   help="the SQLITE_DEFINES compile options, one string")
    p.add_argument("--cflags", default="",
                   help="other compile options that may change #if results "
                        "(e.g. \"$(OPT_CFLAGS)\"); default none")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--core-name", default="ancdb_core.c",
                   help="file name the shim #includes (default ancdb_core.c)")
    p.add_argument("-I", "--include", action="append", default=[],
                   help="extra include directory for preprocessing the shim")
    p.add_argument("--cc", default=os.environ.get("CC", "gcc"),
                   help="C compiler used for -E (default $CC or gcc)")
    return p.parse_args(glue_flag_values(sys.argv[1:] if argv is None else argv))


def glue_flag_values(argv: list[str]) -> list[str]:
    """`--defines -DX` would look like two options to argparse; make it
    `--defines=-DX` (the value of these options is always one string)."""
    out, i = [], 0
    while i < len(argv):
        if argv[i] in ("--defines", "--cflags") and i + 1 < len(argv):
            out.append(f"{argv[i]}={argv[i + 1]}")
            i += 2
        else:
            out.append(argv[i])
            i += 1
    return out


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        return run(args)
    except ExtractError as e:
        print(f"extract: error: {e}", file=sys.stderr)
        return 1


def read_lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8", errors="surrogateescape", newline="") as f:
            return f.read().splitlines(keepends=True)
    except OSError as e:
        raise ExtractError(f"cannot read {path}: {e.strerror}")


def check_shim_includes_core(shim: str, core_name: str):
    text = "".join(read_lines(shim))
    if not re.search(r'^\s*#\s*include\s*"' + re.escape(core_name) + '"', text, re.M):
        raise ExtractError(f'{shim} does not #include "{core_name}"')
    if os.path.exists(os.path.join(os.path.dirname(os.path.abspath(shim)), core_name)):
        raise ExtractError(
            f"{core_name} exists next to {shim}; gcc would include that file "
            f"instead of the amalgamation (remove it, use -I for the build dir)")


def run(args) -> int:
    lines = read_lines(args.amalgamation)
    if not lines:
        raise ExtractError(f"{args.amalgamation} is empty")
    check_shim_includes_core(args.shim, args.core_name)
    info = scan_lines(lines)
    if info[-1].ends_in_comment:
        raise ExtractError(f"{args.amalgamation} ends inside a comment")
    files = source_files(lines)

    with tempfile.TemporaryDirectory(prefix="ancdb-extract-") as tmp:
        core_path = os.path.join(tmp, args.core_name)
        shutil.copyfile(args.amalgamation, core_path)
        pp = run_preprocessor(args, tmp, args.core_name)
        toks = tokenize(pp, core_path)
    prog = analyse(toks, split_toplevel(toks))
    if not prog.defs:
        raise ExtractError("found no definitions in the amalgamation")
    for d in prog.defs:
        d.file = files[d.first_line - 1]
    decide_cuts(prog, lines, info)

    g = Graph(prog)
    remove: set[int] = set()
    for d in g.dropped:
        remove |= d.cut_lines
    remove = tidy_blank_lines(remove, lines, info)
    validate_removal(remove, info)
    out_lines = [l for k, l in enumerate(lines, 1) if k not in remove]

    os.makedirs(args.out, exist_ok=True)
    core_text = "".join(out_lines)
    write_text(os.path.join(args.out, "minimal_core.c"), core_text)
    write_excluded(os.path.join(args.out, "excluded_functions.txt"), g.dropped)
    write_dot(os.path.join(args.out, "dependency_graph.dot"), g)
    write_report(os.path.join(args.out, "size_report.md"), args, g, lines, out_lines)
    # Last: the copy the shim includes is the build's target file.
    write_text(os.path.join(args.out, args.core_name), core_text)

    nf, kf = g.count("function")
    nd, kd = g.count("data")
    print(f"extract: kept {kf} of {nf} functions ({nf - kf} dropped), "
          f"{kd} of {nd} data definitions; {byte_len(lines)} -> "
          f"{byte_len(out_lines)} source bytes; wrote {args.out}")
    return 0


def decide_cuts(prog: Program, lines: list[str], info: list[LineInfo]):
    """Fill in cut_problem / cut_lines of every definition."""
    spans = prog.core_spans
    where = {s: k for k, s in enumerate(spans)}
    for d in prog.defs:
        # Neighbours: the last line of the construct before, the first line
        # of the one after.  Sharing a line with them means macro-made code.
        k = where[(d.first_line, d.last_line)]
        prev_end = spans[k - 1][1] if k > 0 else 0
        next_start = spans[k + 1][0] if k + 1 < len(spans) else len(lines) + 1
        d.cut_problem = check_cuttable(d, info, (prev_end, next_start),
                                       prog.token_lines)
        if not d.cut_problem:
            d.cut_lines, d.cut_problem = plan_cut(d, lines, info)


class Graph:
    """Reachability over the definitions, and the bookkeeping for reports."""

    def __init__(self, prog: Program):
        self.prog = prog
        # A definition that also defines struct X is needed by any use of a
        # typedef name for it.
        for d in prog.defs:
            for tag in sorted(d.type_names):
                extra = sorted(prog.typedef_aliases.get(tag, set()) - set(d.names))
                d.names += extra
                d.type_names |= set(extra)
        self.by_name = index_by_name(prog.defs)
        self.roots = prog.shim_refs & self.by_name.keys()
        if not self.roots:
            raise ExtractError("the shim uses nothing defined in the amalgamation")
        # Kept regardless: definitions we cannot cut, and whatever the
        # always-kept code (types, prototypes) mentions.
        self.forced = [d for d in prog.defs if d.kind != "prototype"
                       and (d.forced or d.cut_problem)]
        type_names = {n for d in prog.defs for n in d.type_names}
        self.fixed_roots = ((prog.fixed_refs & self.by_name.keys())
                            | (prog.fixed_mentions & type_names))
        start = set(self.roots) | self.fixed_roots
        for d in self.forced:
            start |= set(d.names)
        kept_ids = closure(start, self.by_name, lambda d: d.refs)
        self.kept = [d for d in prog.defs if id(d) in kept_ids]
        self.dropped = [d for d in prog.defs if id(d) not in kept_ids]
        # "Proven" = reached from the shim through calls and data reads only;
        # the rest is alive because its address is stored somewhere or
        # because it was forced.
        proven = closure(set(self.roots), self.by_name, self._proof_edges)
        self.unproven = kept_ids - proven

    def _proof_edges(self, d: Definition) -> set[str]:
        if d.kind != "function":
            return set()
        return d.calls | {r for r in d.refs if self.is_data(r)}

    def is_data(self, name: str) -> bool:
        return any(d.kind == "data" for d in self.by_name.get(name, ()))

    def count(self, kind: str) -> tuple[int, int]:
        return (sum(d.kind == kind for d in self.prog.defs),
                sum(d.kind == kind for d in self.kept))

    def edges(self) -> set[tuple[str, str]]:
        kept_ids = {id(d) for d in self.kept}
        out = set()
        for d in self.kept:
            for r in d.refs:
                for t in self.by_name.get(r, ()):
                    if id(t) in kept_ids and t is not d and t.kind != "prototype":
                        out.add((d.name, t.name))
        return out

    def pointer_holders(self) -> dict[str, set[str]]:
        """Unproven kept functions, grouped by a kept definition that stores
        their address (mentions them other than in a call)."""
        forced = {id(d) for d in self.forced}
        kept_ids = {id(d) for d in self.kept}
        holders: dict[str, set[str]] = defaultdict(set)
        for h in self.kept:
            for r in h.refs - h.calls:
                for t in self.by_name.get(r, ()):
                    if (t.kind == "function" and id(t) in self.unproven
                            and id(t) in kept_ids and id(t) not in forced):
                        holders[h.name].add(t.name)
        return holders


def byte_len(lines: list[str]) -> int:
    return sum(len(l.encode("utf-8", "surrogateescape")) for l in lines)


def write_excluded(path, dropped: list[Definition]):
    funcs = sorted((d.name, d.file) for d in dropped if d.kind == "function")
    write_text(path, "".join(f"{n}  {f}\n" for n, f in funcs))


def write_report(path, args, g: Graph, lines, out_lines):
    nf, kf = g.count("function")
    nd, kd = g.count("data")
    before, after = byte_len(lines), byte_len(out_lines)
    forced_ids = {id(d) for d in g.forced}
    r = ["# minimal_core.c size report", "",
         "Generated by `extract-tools/extract.py`; do not edit.", "",
         f"- Amalgamation: `{os.path.basename(args.amalgamation)}`, "
         f"shim: `{os.path.basename(args.shim)}`",
         f"- Defines: `{' '.join(split_flags(args.defines))}`"]
    if args.cflags:
        r.append(f"- Other flags seen by `gcc -E`: `{' '.join(split_flags(args.cflags))}`")
    r += ["",
          "| | kept | dropped | total |",
          "|---|---:|---:|---:|",
          f"| functions | {kf} | {nf - kf} | {nf} |",
          f"| data definitions | {kd} | {nd - kd} | {nd} |",
          f"| source bytes | {after} | {before - after} | {before} |",
          f"| source lines | {len(out_lines)} | {len(lines) - len(out_lines)} | {len(lines)} |",
          "",
          "Counted are the definitions compiled under these defines; code in "
          "inactive `#if` blocks is left in the file untouched (the compiler "
          "skips it anyway).", ""]

    r += ["## Roots", "",
          f"Definitions the shim's own code names, directly or through a "
          f"macro ({len(g.roots)}):", "", names_md(g.roots), ""]
    if g.fixed_roots:
        r += [f"Also kept because always-kept code (a type or prototype) "
              f"mentions them: {names_md(g.fixed_roots)}", ""]

    r += ["## Kept although not proven needed", "",
          "\"Proven\" means reached from the shim through direct calls and data "
          "reads.  Everything in this section is kept on purpose, because "
          "dropping it could break the build; the linker's `--gc-sections` "
          "may still discard some of it.", "",
          "### Definitions the extractor does not cut", "",
          "Kept whatever the graph says, together with everything they "
          "reference.", ""]
    groups = defaultdict(list)
    for d in g.forced:
        groups[d.forced or d.cut_problem].append(d)
    for why in sorted(groups):
        ds = sorted(groups[why], key=lambda d: d.first_line)
        r.append(f"- {why}: " + ", ".join(
            f"`{d.name}` ({d.file}:{d.first_line})" for d in ds))
    if not groups:
        r.append("None.")
    r += ["",
          "### Functions kept because their address is stored", "",
          "A function-pointer table keeps every entry alive (VFS and I/O "
          "method tables, `aSyscall[]`, the pcache1, mutex and malloc method "
          "tables, the IOMETHODS finders); which entries run is decided at "
          "run time.  Grouped by the definition that holds the address:", ""]
    holders = g.pointer_holders()
    for h in sorted(holders):
        r.append(f"- `{h}`: {names_md(holders[h])}")
    if not holders:
        r.append("None.")
    via = set().union(*holders.values()) if holders else set()
    rest = {d.name for d in g.kept if id(d) in g.unproven and d.kind == "function"
            and id(d) not in forced_ids and d.name not in via}
    data = {d.name for d in g.kept if id(d) in g.unproven and d.kind == "data"
            and id(d) not in forced_ids}
    r += ["", "### Functions called only from the definitions above", "",
          names_md(rest) if rest else "None.", "",
          "### Data used only by the definitions above", "",
          names_md(data) if data else "None.", ""]
    dd = {d.name for d in g.dropped if d.kind == "data"}
    np_, kp = g.count("prototype")
    stuck = {d.name for d in g.dropped if d.kind == "prototype" and d.cut_problem}
    r += ["## Dropped", "",
          f"{nf - kf} functions, listed with their source file in "
          f"`excluded_functions.txt`.", "",
          f"Data definitions ({len(dd)}): " + (names_md(dd) if dd else "none."), "",
          f"Static prototypes of dropped functions: {np_ - kp - len(stuck)} of "
          f"{np_} static prototypes removed (gcc -Wall would otherwise warn "
          f"\"declared 'static' but never defined\")."
          + (f"  Left in place because they share lines with other code: "
             f"{names_md(stuck)}." if stuck else ""), "",
          "## Library size", ""]  # the build appends below
    write_text(path, "\n".join(r) + "\n")


def names_md(names) -> str:
    return ", ".join(f"`{n}`" for n in sorted(names))


def write_dot(path, g: Graph):
    files = sorted({d.file for d in g.kept if d.kind != "prototype"})
    colour = {f: PALETTE[i % len(PALETTE)] for i, f in enumerate(files)}
    out = ["// Definitions kept in minimal_core.c and the references between them.",
           "// Generated by extract-tools/extract.py.  Clusters are the original",
           "// source files; boxes are functions, notes are data; bold = named by",
           "// the shim, dashed = kept without proof it is needed (size_report.md).",
           "digraph ancdb_core {",
           "  graph [rankdir=LR, concentrate=true, fontname=Helvetica];",
           "  node [shape=box, fontname=Helvetica, fontsize=10];",
           "  edge [color=\"#00000060\", arrowsize=0.5];"]
    for f in files:
        out += [f"  subgraph \"cluster_{f}\" {{",
                f"    label=\"{f}\"; style=filled; color=\"#f4f4f4\"; fontsize=16;"]
        for d in sorted((d for d in g.kept if d.file == f and d.kind != "prototype"),
                        key=lambda d: d.name):
            styles = ["filled"]
            attrs = [f"fillcolor=\"{colour[f]}\""]
            if d.kind == "data":
                attrs.append("shape=note")
            if any(n in g.roots for n in d.names):
                styles.append("bold")
                attrs.append("penwidth=2")
            if id(d) in g.unproven:
                styles.append("dashed")
            attrs.append(f"style=\"{','.join(styles)}\"")
            out.append(f"    \"{d.name}\" [{', '.join(attrs)}];")
        out.append("  }")
    for a, b in sorted(g.edges()):
        out.append(f"  \"{a}\" -> \"{b}\";")
    out.append("}")
    write_text(path, "\n".join(out) + "\n")


if __name__ == "__main__":
    sys.exit(main())
