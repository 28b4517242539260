#!/usr/bin/env python3
"""Checks that the imports say what the code uses, so that Package.swift's
layering is the real one (`make test` runs it; exit 1 on any finding).

1. Every `import M` of one of this package's modules (or of the Logging /
   ArgumentParser products) in a file under Sources/ or Tests/ is used: the
   file names something M declares (a top-level type, function or constant,
   a member M adds to another module's type, or for a C module a symbol of
   its header's library).
2. Every target's declared dependencies are exactly the modules its files
   import.

A heuristic by names (comments and plain string literals are ignored; a member
added to another module's type counts only as `.member`): it can call an
import used that is not, never the other way round for a name it knows.

usage: scripts/check-imports.py [--verbose]
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Names the two package products declare that this code uses.
PRODUCT_NAMES = {
    "Logging": r"Logger|LogHandler|StreamLogHandler|LoggingSystem|SwiftLogNoOpLogHandler|MultiplexLogHandler",
    "ArgumentParser": r"ParsableCommand|AsyncParsableCommand|ParsableArguments|Option|Flag|Argument|OptionGroup|"
                      r"CommandConfiguration|CommandGroup|ValidationError|ExitCode|CleanExit|ExpressibleByArgument|"
                      r"EnumerableFlag|ArgumentHelp|NameSpecification|ArgumentVisibility",
}

# The C modules: their shims and the libraries their headers include.
C_NAMES = {
    "CCurl": r"ri_curl_\w+|curl_\w+|CURL\w*",
    "CArchive": r"ri_archive_\w+|archive_\w+|ARCHIVE_\w+|AE_\w+",
    "CCrypto": r"EVP_\w+|HMAC\w*|ERR_\w+|PEM_\w+|SSL_\w+|X509\w*|BIO_\w+|OPENSSL_\w+|SHA256_\w+|SHA256|"
               r"RSA_\w+|EC_\w+|ECDSA_\w+|BN_\w+|OBJ_\w+|d2i_\w+|i2d_\w+|NID_\w+|ASN1_\w+|CRYPTO_\w+|RAND_\w+",
    "CCompression": r"ri_isal_\w+|RI_ISAL_\w+|isal_\w+|ISAL_\w+|inflate_state|IGZIP_\w+|COMP_OK|DECOMP_\w+|"
                    r"ZSTD_\w+|ZSTD|LARGE_HDR_BASE|NO_FLUSH|FULL_FLUSH|SYNC_FLUSH",
    "CSodium": r"sodium_\w+|crypto_\w+|randombytes_\w+",
    "CLinux": r"ri_openat2|ri_available_cpus|ri_fix_mmap_threshold|ri_name_this_thread|RI_RESOLVE_\w+|\w*setxattr|\w*getxattr|"
              r"\w*listxattr|XATTR_\w+",
}

# Modules outside the package: never checked.
SYSTEM = {"Foundation", "FoundationEssentials", "FoundationNetworking", "Glibc", "Dispatch", "Synchronization",
          "Testing", "XCTest", "PackageDescription", "_Concurrency", "Darwin", "Musl"}

DECLARATION = re.compile(
    r"^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|open|package|internal|fileprivate|private|final|indirect|nonisolated)\s+)*"
    r"(class|struct|enum|protocol|actor|typealias|func|let|var|extension)\s+([A-Za-z_]\w*)")
MEMBER = re.compile(  # a member declared directly inside an extension (4 spaces in)
    r"^ {4}(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|open|package|internal|fileprivate|private|final|static|class|"
    r"mutating|nonisolated|override|convenience|required)\s+)*(func|var|let|case|init|subscript)\b\s*([A-Za-z_]\w*)?")
RAW_STRING = re.compile(r'(#+)"')
IMPORT = re.compile(r"^\s*(?:@testable\s+|@_exported\s+|(?:public|internal|package|private)\s+)?import\s+(\w+)[ \t]*$", re.M)


def strip_comments(text):
    """The code without comments and string literals; what a literal
    interpolates (`\\(…)`) is kept, since it is code."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
        elif text[i] == '"':
            i = skip_string(text, i, out)
        elif text[i] == "#" and (raw := RAW_STRING.match(text, i)):
            # A raw string: no escapes; it ends at the quote with as many #s.
            hashes = raw.group(1)
            opening = '"""' if text.startswith(hashes + '"""', i) else '"'
            j = text.find(opening + hashes, i + len(hashes) + len(opening))
            i = n if j < 0 else j + len(opening) + len(hashes)
            out.append('""')
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def skip_string(text, i, out):
    """Skips the literal at i, appending the code of its interpolations; returns the index after it."""
    quote = '"""' if text.startswith('"""', i) else '"'
    i += len(quote)
    out.append('""')
    n = len(text)
    while i < n:
        if text.startswith(quote, i):
            return i + len(quote)
        if text.startswith("\\(", i):
            depth, i = 1, i + 2
            out.append(" (")
            while i < n and depth:
                if text[i] == '"':
                    i = skip_string(text, i, out)
                    continue
                depth += {"(": 1, ")": -1}.get(text[i], 0)
                out.append(text[i])
                i += 1
            out.append(" ")
            continue
        if text[i] == "\\":
            i += 2
            continue
        if quote == '"' and text[i] == "\n":
            return i
        i += 1
    return i


def swift_files(directory):
    for base, _, names in os.walk(directory):
        for name in sorted(names):
            if name.endswith(".swift"):
                yield os.path.join(base, name)


def declared_names(files):
    """Top-level names of a module's files, and the members it adds to types
    it does not declare (another module's or the standard library's)."""
    types, extended = set(), {}
    for path in files:
        lines = strip_comments(open(path, encoding="utf-8").read()).split("\n")
        current = None
        for line in lines:
            match = DECLARATION.match(line)
            if match:
                kind, name = match.groups()
                current = name if kind == "extension" else None
                if kind != "extension":
                    types.add(name)
                continue
            if line.startswith("}"):
                current = None
            elif current:
                member = MEMBER.match(line)
                if member and member.group(1) in ("func", "var", "let", "case") and member.group(2):
                    extended.setdefault(current, set()).add(member.group(2))
                elif member and member.group(1) == "init":
                    extended.setdefault(current, set()).add(current)
    members = set()
    for type_name, added in extended.items():
        if type_name not in types:
            members |= added - types
    return types, members


def main():
    verbose = "--verbose" in sys.argv
    package = json.loads(subprocess.run(["swift", "package", "--package-path", ROOT, "dump-package"],
                                        check=True, capture_output=True, text=True).stdout)
    targets = {}
    for target in package["targets"]:
        default = "Tests" if target["type"] == "test" else "Sources"
        path = target.get("path") or os.path.join(default, target["name"])
        dependencies = set()
        for dependency in target["dependencies"]:
            (kind, value), = dependency.items()
            dependencies.add(value[0])
        targets[target["name"]] = (target["type"], os.path.join(ROOT, path), dependencies)

    patterns = {name: re.compile(r"\b(?:%s)\b" % names) for name, names in {**PRODUCT_NAMES, **C_NAMES}.items()}
    for name, (kind, path, _) in targets.items():
        if kind in ("regular", "executable", "test") and name not in C_NAMES:
            types, members = declared_names(list(swift_files(path)))
            alternatives = [r"\b(?:%s)\b" % "|".join(sorted(map(re.escape, types)))] if types else []
            if members:
                alternatives.append(r"\.(?:%s)\b" % "|".join(sorted(map(re.escape, members))))
            if alternatives:
                patterns[name] = re.compile("|".join(alternatives))

    findings = []
    for name, (kind, path, declared) in sorted(targets.items()):
        if name in C_NAMES or kind == "system-target":
            continue
        imported = set()
        for file in swift_files(path):
            text = open(file, encoding="utf-8").read()
            code = strip_comments(text)
            body = IMPORT.sub("", code)
            relative = os.path.relpath(file, ROOT)
            for module in IMPORT.findall(code):
                if module in SYSTEM:
                    continue
                imported.add(module)
                if module not in patterns:
                    findings.append(f"{relative}: imports {module}, which is no module of this package")
                elif not patterns[module].search(body):
                    findings.append(f"{relative}: imports {module} and uses nothing of it")
        for module in sorted(declared - imported):
            findings.append(f"Package.swift: {name} depends on {module}, which none of its files imports")
        for module in sorted(imported - declared):
            if module in targets or module in PRODUCT_NAMES:
                findings.append(f"Package.swift: {name} imports {module} without declaring it")
        if verbose:
            print(f"{name}: {', '.join(sorted(imported)) or '-'}", file=sys.stderr)
    for finding in findings:
        print(f"error: {finding}", file=sys.stderr)
    if findings:
        print(f"check-imports: {len(findings)} finding(s)", file=sys.stderr)
        return 1
    print("check-imports: every import is used and every target declares exactly what it imports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
