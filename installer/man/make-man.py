#!/usr/bin/env python3
"""Writes the manual pages atmosphere.1 and atmosphere-station.1 from the
programs' own --help, so a page cannot say something the program does not:
the command list, each command's usage and options, the exit codes, the
environment and the files all come from `atmosphere --help` and
`atmosphere <command> --help`. Only the page's frame (name line, description,
see also) is written here.

usage: make-man.py --cli BIN [--station BIN] --out DIR --version V
"""
import argparse
import os
import re
import subprocess
import sys


def run(argv):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ASAN_OPTIONS="detect_leaks=0")
    r = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
    if r.returncode != 0:
        sys.exit("make-man: %s exited %d: %s" % (" ".join(argv), r.returncode, r.stderr.strip()))
    return r.stdout


def esc(text):
    """roff-safe text: backslashes, leading dots and quotes, and hyphens."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    if text.startswith((".", "'")):
        text = "\\&" + text
    return text


def sections(text):
    """{'commands': [lines], 'exit codes': [...], ...} of a --help text."""
    out, name = {}, None
    for line in text.splitlines():
        m = re.match(r"^([a-z][a-z ()]*):$", line)
        if m:
            name = m.group(1)
            out[name] = []
        elif name and line.strip():
            out[name].append(line)
    return out


def two_columns(lines):
    """'  NAME   text' rows (continuation lines indented further) as pairs."""
    rows = []
    for line in lines:
        m = re.match(r"^  (\S(?:.*?\S)?)\s{2,}(\S.*)$", line)
        if m and not line.startswith("   "):
            rows.append([m.group(1), m.group(2)])
        elif rows:
            rows[-1][1] += " " + line.strip()
    return rows


def options(help_text, skip):
    """The options of a command's --help (Qt's format), minus the global ones."""
    lines = help_text.splitlines()
    try:
        start = lines.index("Options:") + 1
    except ValueError:
        return []
    opts = []
    for line in lines[start:]:
        if not line.strip():
            break
        m = re.match(r"^  (-\S.*?)(?:\s{2,}(\S.*))?$", line)
        if m and not line.startswith("    "):
            opts.append([m.group(1), m.group(2) or ""])
        elif opts:
            opts[-1][1] += (" " if opts[-1][1] else "") + line.strip()
    return [o for o in opts if not any(o[0].startswith(s) or ", " + s in o[0] for s in skip)]


def option_term(spec):
    """'--tier <tier>' as \\fB\\-\\-tier\\fR \\fItier\\fR."""
    parts = []
    for piece in spec.split(", "):
        m = re.match(r"^(-{1,2}[\w-]+)(?: <([^>]+)>)?$", piece)
        if not m:
            parts.append(esc(piece))
            continue
        term = "\\fB" + esc(m.group(1)) + "\\fR"
        if m.group(2):
            term += " \\fI" + esc(m.group(2)) + "\\fR"
        parts.append(term)
    return ", ".join(parts)


def header(name, version, summary):
    return [
        '.TH %s 1 "" "atmosphere %s" "User Commands"' % (name.upper(), version),
        ".SH NAME",
        "%s \\- %s" % (esc(name), esc(summary)),
    ]


def cli_page(cli, version):
    top = run([cli, "--help"])
    parts = sections(top)
    commands = two_columns(parts["commands"])
    page = header("atmosphere", version,
                  "build, check, write and share signed Atmosphere packages and models")
    page += [
        ".SH SYNOPSIS",
        "\\fBatmosphere\\fR [\\fB\\-\\-home\\fR \\fIdir\\fR] [\\fB\\-\\-json\\fR] \\fIcommand\\fR [\\fIoptions\\fR]",
        ".br",
        "\\fBatmosphere\\fR \\fIcommand\\fR \\fB\\-\\-help\\fR",
        ".SH DESCRIPTION",
        "The command-line tool of Atmosphere Station: it builds signed \\fB.atmo\\fR packages of a "
        "mission per hardware tier, writes them to drives with a read-back check, verifies and "
        "installs them, and is a full peer of the Atmosphere mesh (serving models and packages, "
        "listing and downloading what peers offer, joining a mesh through its relay).",
        ".PP",
        "On failure one line on standard error says what and why, and the exit status says which "
        "kind of failure it was. With \\fB\\-\\-json\\fR, results and failures are also printed as "
        "one JSON object on standard output.",
        ".SH GLOBAL OPTIONS",
        "They may stand anywhere on the line.",
        ".TP", "\\fB\\-\\-home\\fR \\fIdir\\fR",
        "The station home (default: \\fB$ATMOSPHERE_HOME\\fR, else \\fB$XDG_DATA_HOME/atmosphere\\fR).",
        ".TP", "\\fB\\-\\-json\\fR", "Machine-readable output on standard output.",
        ".TP", "\\fB\\-v\\fR, \\fB\\-\\-verbose\\fR",
        "Every log line of every area on standard error (see \\fBQT_LOGGING_RULES\\fR below for finer choices).",
        ".TP", "\\fB\\-h\\fR, \\fB\\-\\-help\\fR", "The commands; with a command or a group, its own help.",
        ".TP", "\\fB\\-\\-version\\fR", "The version.",
        ".SH COMMANDS",
    ]
    for name, summary in commands:
        sub = run([cli] + name.split() + ["--help"])
        usage = sub.splitlines()[0].replace("Usage: ", "", 1)
        page += [".SS \"%s\"" % esc(name), esc(summary[0].upper() + summary[1:]) + ".", ".PP",
                 "\\fB" + esc(usage) + "\\fR"]
        for spec, text in options(sub, ["--home", "--json", "-h", "--help", "-v"]):
            page += [".TP", option_term(spec), esc(text)]
    page += [".SH EXIT STATUS"]
    for code, meaning in two_columns(parts["exit codes"]):
        page += [".TP", "\\fB%s\\fR" % esc(code), esc(meaning)]
    page += [".SH ENVIRONMENT"]
    for var, meaning in two_columns(parts["environment"]):
        page += [".TP", "\\fB" + esc(var) + "\\fR", esc(meaning)]
    page += [".SH FILES",
             "In the station home. A home named with \\fB\\-\\-home\\fR or \\fBATMOSPHERE_HOME\\fR holds them all; "
             "the default home keeps its settings and caches in the XDG folders (see \\fBENVIRONMENT\\fR)."]
    files = next(v for k, v in parts.items() if k.startswith("files"))
    for path, meaning in two_columns(files):
        page += [".TP", "\\fI<home>/" + esc(path) + "\\fR", esc(meaning)]
    page += [".SH SEE ALSO", "\\fBatmosphere\\-station\\fR(1), \\fBminisign\\fR(1), \\fBsystemctl\\fR(1)"]
    return page


def station_page(station, version):
    text = run([station, "--help"])
    page = header("atmosphere-station", version, "the Atmosphere Station desktop application")
    page += [
        ".SH SYNOPSIS",
        "\\fBatmosphere\\-station\\fR [\\fIoptions\\fR] [\\fIpackage.atmo\\fR]",
        ".SH DESCRIPTION",
        "The technician's window: build signed packages with a wizard, verify and install a "
        "package, write it to several USB drives at once with a read-back check, manage keys and "
        "trust, and browse and download the models peers on the mesh offer. A package named on "
        "the command line is opened and verified.",
        ".SH OPTIONS",
    ]
    for spec, meaning in options(text, []):
        page += [".TP", option_term(spec), esc(meaning)]
    page += [".SH SEE ALSO", "\\fBatmosphere\\fR(1)"]
    return page


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--cli", required=True)
    a.add_argument("--station")
    a.add_argument("--out", required=True)
    a.add_argument("--version", required=True)
    args = a.parse_args()
    os.makedirs(args.out, exist_ok=True)
    pages = {"atmosphere.1": cli_page(args.cli, args.version)}
    if args.station:
        pages["atmosphere-station.1"] = station_page(args.station, args.version)
    for name, lines in pages.items():
        path = os.path.join(args.out, name)
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
