#!/usr/bin/env python3
"""Generate the Java FFM bindings (jextract-shaped) for native/ancdb.h.

    gen_bindings.py --header native/ancdb.h --out bindings/src/main/java
    gen_bindings.py --header native/ancdb.h --out bindings/src/main/java --check

The first form writes io/ancdb/bindings/internal/ancdb_h.java below --out.
The second regenerates in memory and exits 1 when the file on disk differs.

We control ancdb.h, so this is a deliberately small parser for the subset of C
the header uses, not a C front end.  Anything outside that subset is an error:
a wrong guess about a type here becomes memory corruption at run time, so the
generator refuses rather than guesses.

Exit codes: 0 ok, 1 bindings stale (--check), 2 header not understood / usage.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import os
import re
import sys
from dataclasses import dataclass

PACKAGE = "io.ancdb.bindings.internal"
CLASS_NAME = "ancdb_h"
REL_OUT = os.path.join(*PACKAGE.split("."), CLASS_NAME + ".java")
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

API_MARKER = "ANCDB_API"
LEAF_MARKER = "ANCDB_LEAF"
CONST_PREFIX = "ANCDB_"

# C scalar type -> (layout constant in ancdb_h, Java carrier type).
# uint32_t/uint64_t share the signed carriers: the bits are passed unchanged,
# callers use Integer.toUnsignedLong & co where the sign matters.
SCALARS = {
    "int32_t": ("C_INT", "int"),
    "uint32_t": ("C_INT", "int"),
    "int64_t": ("C_LONG_LONG", "long"),
    "uint64_t": ("C_LONG_LONG", "long"),
}
POINTER = ("C_POINTER", "MemorySegment")
QUALIFIERS = {"const", "volatile", "restrict"}

JAVA_KEYWORDS = set("""
    abstract assert boolean break byte case catch char class const continue
    default do double else enum extends final finally float for goto if
    implements import instanceof int interface long native new package private
    protected public return short static strictfp super switch synchronized
    this throw throws transient try void volatile while true false null _
    var yield record sealed permits non-sealed when
""".split())


class HeaderError(Exception):
    """The header uses something this generator does not understand."""


@dataclass
class Param:
    c_text: str   # normalised C spelling, for the javadoc
    name: str     # Java parameter name
    layout: str   # C_INT / C_LONG_LONG / C_POINTER
    jtype: str    # int / long / MemorySegment


@dataclass
class Function:
    name: str
    leaf: bool
    ret_c: str
    ret: tuple[str, str] | None   # None for void
    params: list[Param]


@dataclass
class Constant:
    name: str
    literal: str  # Java int literal
    doc: str      # trailing /* comment */ of the #define, or ""


# --------------------------------------------------------------------------
# Lexing helpers

def strip_comments(text: str) -> str:
    """Remove /* */ and // comments, keeping newlines and string literals.

    Block comments become one space (or their newlines) so that tokens on
    either side never fuse and line structure for #directives survives.
    """
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise HeaderError("unterminated /* comment")
            newlines = text.count("\n", i, end)
            out.append("\n" * newlines if newlines else " ")
            i = end + 2
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise HeaderError("unterminated literal")
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def split_directives(code: str) -> tuple[list[str], str]:
    """Split comment-free code into preprocessor directives and the rest."""
    code = code.replace("\\\n", " ")  # line continuations
    directives, rest = [], []
    for line in code.split("\n"):
        if line.lstrip().startswith("#"):
            directives.append(line.strip()[1:].strip())
            rest.append("")  # keep line count stable (not needed, but cheap)
        else:
            rest.append(line)
    return directives, "\n".join(rest)


TOKEN_RE = re.compile(r"[A-Za-z_]\w*|\.\.\.|\[[^\]]*\]|\S")
IDENT_RE = re.compile(r"[A-Za-z_]\w*\Z")
INT_RE = re.compile(r"(-)?\s*(0[xX][0-9A-Fa-f]+|[0-9]+)[uU]?\Z")


def collapse(s: str) -> str:
    return " ".join(s.split())


# --------------------------------------------------------------------------
# Parsing

class Header:
    def __init__(self, text: str):
        self.constants: list[Constant] = []
        self.typedefs: dict[str, str] = {}      # name -> scalar base
        self.ignorable_macros: set[str] = set()  # attribute/marker macros
        self.functions: list[Function] = []
        # Trailing comments of one-line #defines become the constants' javadoc.
        self.define_docs = {
            m.group(1): collapse(m.group(2))
            for m in re.finditer(
                r"^[ \t]*#[ \t]*define[ \t]+(\w+)[^\n/]*/\*(.*?)\*/[ \t]*$",
                text, re.M)}
        code = strip_comments(text)
        directives, rest = split_directives(code)
        for d in directives:
            self._directive(d)
        for stmt in self._statements(rest):
            self._statement(stmt)

    # -- #define --------------------------------------------------------
    def _directive(self, d: str) -> None:
        m = re.match(r"define\s+([A-Za-z_]\w*)(\(?)(.*)\Z", d)
        if not m:
            return  # #ifndef/#endif/#include: nothing to bind
        name, paren, body = m.group(1), m.group(2), m.group(3).strip()
        if paren:
            return  # function-like macro: not a constant
        if not body or body.startswith("__attribute__"):
            # Marker/attribute macros (ANCDB_API, ANCDB_LEAF, ANCDB_H) may
            # decorate declarations; remember them so they can be skipped.
            self.ignorable_macros.add(name)
            return
        if not name.startswith(CONST_PREFIX):
            return
        inner = body
        while inner.startswith("(") and inner.endswith(")"):
            inner = inner[1:-1].strip()
        im = INT_RE.match(inner)
        if not im:
            raise HeaderError(
                f"#define {name} {body}: not an integer literal "
                "(only plain decimal/hex ints are supported)")
        sign, digits = im.group(1) or "", im.group(2)
        value = int(digits, 0) * (-1 if sign else 1)
        is_hex = digits[:2].lower() == "0x"
        # Java accepts hex int literals up to 0xFFFFFFFF (bit pattern);
        # decimal ones must fit a signed int.
        lo, hi = -(2**31), (2**32 - 1 if is_hex and not sign else 2**31 - 1)
        if not lo <= value <= hi:
            raise HeaderError(f"#define {name} {body}: does not fit a Java int")
        literal = sign + ("0x" + digits[2:] if is_hex else str(int(digits)))
        if any(c.name == name for c in self.constants):
            raise HeaderError(f"#define {name}: defined twice")
        self.constants.append(
            Constant(name, literal, self.define_docs.get(name, "")))

    # -- declarations ---------------------------------------------------
    @staticmethod
    def _statements(rest: str) -> list[str]:
        rest = re.sub(r'extern\s*"C"\s*\{', " ", rest)  # C++ guard, if added
        stmts = [collapse(s) for s in rest.split(";")]
        if stmts and stmts[-1].strip("} "):
            raise HeaderError(f"declaration without ';': {stmts[-1][:80]}")
        return [s.lstrip("} ") for s in stmts[:-1] if s.strip("} ")]

    def _statement(self, stmt: str) -> None:
        toks = TOKEN_RE.findall(stmt)
        if toks[0] == "typedef":
            self._typedef(stmt, toks)
        elif toks[0] == API_MARKER:
            self._function(stmt)
        else:
            raise HeaderError(
                f"unrecognised declaration (functions must start with "
                f"{API_MARKER}): {stmt}")

    def _typedef(self, stmt: str, toks: list[str]) -> None:
        if len(toks) != 3 or not IDENT_RE.match(toks[2]):
            raise HeaderError(f"unsupported typedef: {stmt}")
        base, name = toks[1], toks[2]
        base = self.typedefs.get(base, base)
        if base not in SCALARS:
            raise HeaderError(f"typedef of unknown type '{toks[1]}': {stmt}")
        if name in self.typedefs or name in SCALARS:
            raise HeaderError(f"typedef {name}: defined twice")
        self.typedefs[name] = base

    def _function(self, stmt: str) -> None:
        m = re.match(r"(.*?)\b([A-Za-z_]\w*)\s*\((.*)\)\Z", stmt)
        if not m or "(" in m.group(3) or ")" in m.group(3):
            raise HeaderError(f"cannot parse function declaration: {stmt}")
        prefix, name, plist = m.group(1), m.group(2), m.group(3).strip()
        ptoks = TOKEN_RE.findall(prefix)
        leaf = LEAF_MARKER in ptoks
        ret_toks = [t for t in ptoks[1:]
                    if t != LEAF_MARKER and t not in self.ignorable_macros]
        if name in JAVA_KEYWORDS or "$" in name:
            raise HeaderError(f"{name}: not usable as a Java name: {stmt}")
        if any(f.name == name for f in self.functions):
            raise HeaderError(f"{name}: declared twice")
        ctx = f"in declaration of {name}: {stmt}"
        ret_c, ret = self._type(ret_toks, ctx, allow_void=True)
        params: list[Param] = []
        if plist == "void":
            pass
        elif plist == "":
            raise HeaderError(f"empty parameter list, write (void) {ctx}")
        else:
            for i, p in enumerate(plist.split(",")):
                params.append(self._param(p.strip(), i, ctx))
        names = [p.name for p in params]
        if len(set(names)) != len(names):
            raise HeaderError(f"duplicate parameter names {ctx}")
        self.functions.append(Function(name, leaf, ret_c, ret, params))

    def _param(self, p: str, index: int, ctx: str) -> Param:
        toks = TOKEN_RE.findall(p)
        if not toks:
            raise HeaderError(f"empty parameter {ctx}")
        if toks == ["..."]:
            raise HeaderError(f"variadic functions are not supported {ctx}")
        # Arrays in a parameter list are pointers (C 6.7.6.3p7).
        arrays = 0
        while toks and toks[-1].startswith("["):
            toks.pop()
            arrays += 1
        name = None
        if (len(toks) >= 2 and IDENT_RE.match(toks[-1])
                and toks[-1] not in QUALIFIERS
                and toks[-1] not in SCALARS and toks[-1] not in self.typedefs):
            name = toks.pop()
        type_toks = toks + ["*"] * arrays
        c_text, (layout, jtype) = self._type(type_toks, ctx, allow_void=False)
        if name is None:
            name = f"x{index}"  # jextract's convention for unnamed params
        elif name in JAVA_KEYWORDS:
            name += "_"
        c_decl = c_text + ("" if c_text.endswith("*") else " ") + name
        return Param(c_decl, name, layout, jtype)

    def _type(self, toks: list[str], ctx: str, allow_void: bool):
        """Return (normalised C text, (layout, java type) or None for void)."""
        text = ""
        for t in toks:  # C spelling for javadoc: "const char *", "char **"
            if t == "*":
                text += "*" if text.endswith("*") else " *"
            else:
                text += (" " if text else "") + t
        core = [t for t in toks if t not in QUALIFIERS]
        stars = 0
        while core and core[-1] == "*":
            core.pop()
            stars += 1
        if "*" in core or not core:
            raise HeaderError(f"unsupported type '{text}' {ctx}")
        if stars:
            # Any data pointer is an address whatever it points to, but the
            # pointee must still look like a type name (not a typo'd mess).
            ok = (len(core) == 1 and IDENT_RE.match(core[0])) or (
                len(core) == 2 and core[0] in ("struct", "union")
                and IDENT_RE.match(core[1]))
            if not ok:
                raise HeaderError(f"unsupported type '{text}' {ctx}")
            return text, POINTER
        if len(core) == 1:
            t = core[0]
            if t == "void" and allow_void:
                return text, None
            base = self.typedefs.get(t, t)
            if base in SCALARS:
                return text, SCALARS[base]
        raise HeaderError(f"unknown type '{text}' {ctx}")


# --------------------------------------------------------------------------
# Emission

def c_signature(f: Function) -> str:
    ret = f.ret_c + ("" if f.ret_c.endswith("*") else " ")
    args = ", ".join(p.c_text for p in f.params) or "void"
    leaf = LEAF_MARKER + " " if f.leaf else ""
    return f"{leaf}{ret}{f.name}({args})"


def javadoc_text(s: str) -> str:
    """Make header text safe inside a javadoc comment."""
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("@", "&#64;").replace("*/", "*&#47;"))


def emit(h: Header, header_name: str, header_sha: str) -> str:
    L: list[str] = []
    w = L.append
    w("// GENERATED from %s by extract-tools/gen_bindings.py -- DO NOT EDIT."
      % header_name)
    w("// Regenerate with `make bindings`; CI checks it with --check.")
    w("// Header sha256: %s" % header_sha)
    w("")
    w("package %s;" % PACKAGE)
    w("")
    w("import java.lang.foreign.AddressLayout;")
    w("import java.lang.foreign.FunctionDescriptor;")
    w("import java.lang.foreign.Linker;")
    w("import java.lang.foreign.MemorySegment;")
    w("import java.lang.foreign.SymbolLookup;")
    w("import java.lang.foreign.ValueLayout;")
    w("import java.lang.invoke.MethodHandle;")
    w("")
    w("/**")
    w(" * Java bindings for {@code %s}: constants, downcall handles and"
      % header_name)
    w(" * wrappers, one per {@code %s} function. Functions marked" % API_MARKER)
    w(" * {@code %s} in the header are bound as critical downcalls." % LEAF_MARKER)
    w(" */")
    w("@SuppressWarnings(\"restricted\")")
    w("public final class %s {" % CLASS_NAME)
    w("")
    w("    private %s() {" % CLASS_NAME)
    w("        // static members only")
    w("    }")
    w("")
    w("    /** Layout of {@code int32_t} and {@code uint32_t}. */")
    w("    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;")
    w("    /** Layout of {@code int64_t}, {@code uint64_t} and handles. */")
    w("    public static final ValueLayout.OfLong C_LONG_LONG = "
      "ValueLayout.JAVA_LONG;")
    w("    /** Layout of every pointer (zero-length target). */")
    w("    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS;")
    w("")
    w("    static final SymbolLookup SYMBOL_LOOKUP = "
      "io.ancdb.bindings.NativeLibrary.lookup();")
    w("")
    w("    static MemorySegment findOrThrow(String symbol) {")
    w("        return SYMBOL_LOOKUP.find(symbol)")
    w("            .orElseThrow(() -> new UnsatisfiedLinkError("
      "\"unresolved symbol: \" + symbol));")
    w("    }")
    if h.constants:
        w("")
    for c in h.constants:
        doc = (": " + javadoc_text(c.doc)) if c.doc else ""
        w("    /** {@code %s}%s */" % (c.name, doc))
        w("    public static final int %s = %s;" % (c.name, c.literal))
    for f in h.functions:
        sig = c_signature(f)
        ret_layout, ret_jtype = f.ret if f.ret else (None, "void")
        layouts = [p.layout for p in f.params]
        w("")
        w("    private static final class %s {" % f.name)
        if f.ret:
            args = [ret_layout] + layouts
            w("        static final FunctionDescriptor DESC = "
              "FunctionDescriptor.of(")
        else:
            args = layouts
            w("        static final FunctionDescriptor DESC = "
              "FunctionDescriptor.ofVoid(")
        for i, a in enumerate(args):
            w("            %s%s" % (a, "," if i < len(args) - 1 else ""))
        w("        );")
        w("")
        w("        static final MemorySegment ADDR = findOrThrow(\"%s\");"
          % f.name)
        w("")
        opts = ", Linker.Option.critical(true)" if f.leaf else ""
        w("        static final MethodHandle HANDLE = "
          "Linker.nativeLinker().downcallHandle(ADDR, DESC%s);" % opts)
        w("    }")
        for what, jt, field in (("descriptor", "FunctionDescriptor", "DESC"),
                                ("handle", "MethodHandle", "HANDLE"),
                                ("address", "MemorySegment", "ADDR")):
            w("")
            w("    /**")
            w("     * Downcall %s for:" % ("method " + what
                                          if what == "handle" else what))
            w("     * {@snippet lang=c :")
            w("     * %s" % sig)
            w("     * }")
            w("     *")
            w("     * @return the downcall %s" % what.replace("handle",
                                                        "method handle"))
            w("     */")
            w("    public static %s %s$%s() {" % (jt, f.name, what))
            w("        return %s.%s;" % (f.name, field))
            w("    }")
        w("")
        w("    /**")
        w("     * {@snippet lang=c :")
        w("     * %s" % sig)
        w("     * }")
        if f.params or f.ret:
            w("     *")
        for p in f.params:
            w("     * @param %s {@code %s}" % (p.name, javadoc_text(p.c_text)))
        if f.ret:
            w("     * @return the {@code %s} result" % f.ret_c)
        w("     */")
        plist = ", ".join("%s %s" % (p.jtype, p.name) for p in f.params)
        alist = ", ".join(p.name for p in f.params)
        w("    public static %s %s(%s) {" % (ret_jtype, f.name, plist))
        w("        var mh$ = %s.HANDLE;" % f.name)
        w("        try {")
        if f.ret:
            w("            return (%s) mh$.invokeExact(%s);" % (ret_jtype, alist))
        else:
            w("            mh$.invokeExact(%s);" % alist)
        w("        } catch (Error | RuntimeException ex) {")
        w("            throw ex;")
        w("        } catch (Throwable ex$) {")
        w("            throw new AssertionError(\"should not reach here\", ex$);")
        w("        }")
        w("    }")
    w("}")
    return "\n".join(L) + "\n"


def display_name(header_path: str) -> str:
    """Repo-relative header path, so output does not depend on the cwd."""
    rel = os.path.relpath(os.path.abspath(header_path), REPO_ROOT)
    if rel.startswith(os.pardir + os.sep) or rel == os.pardir:
        rel = os.path.basename(header_path)
    return rel.replace(os.sep, "/")


def generate(header_path: str) -> str:
    with open(header_path, "rb") as fh:
        raw = fh.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise HeaderError(f"not UTF-8: {e}") from None
    h = Header(text)
    if not h.functions:
        raise HeaderError(f"no {API_MARKER} function declarations found")
    return emit(h, display_name(header_path), hashlib.sha256(raw).hexdigest())


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--header", required=True, help="path to ancdb.h")
    ap.add_argument("--out", required=True,
                    help="Java source root (e.g. bindings/src/main/java)")
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 if the file on disk is stale")
    args = ap.parse_args(argv)

    try:
        src = generate(args.header)
    except HeaderError as e:
        print(f"gen_bindings: {args.header}: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"gen_bindings: {e}", file=sys.stderr)
        return 2

    target = os.path.join(args.out, REL_OUT)
    try:
        with open(target, encoding="utf-8", newline="") as fh:
            current = fh.read()
    except FileNotFoundError:
        current = None

    if args.check:
        if current == src:
            return 0
        print("bindings are stale: run `make bindings` "
              f"({target} does not match {args.header})", file=sys.stderr)
        diff = list(difflib.unified_diff(
            (current or "").splitlines(), src.splitlines(),
            fromfile=target + " (on disk)", tofile=target + " (generated)",
            lineterm="", n=1))
        limit = 40
        for line in diff[:limit]:
            print(line, file=sys.stderr)
        if len(diff) > limit:
            print(f"... ({len(diff) - limit} more diff lines)", file=sys.stderr)
        return 1

    if current == src:
        return 0  # leave the mtime alone so build tools see no change
    os.makedirs(os.path.dirname(target), exist_ok=True)
    tmp = target + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(src)
    os.replace(tmp, target)
    print(f"gen_bindings: wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
