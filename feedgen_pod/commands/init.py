"""``feedgen-pod init``: a site's generator and podcast convention recognised, and its config
written beside it (``feedgen-pod.yaml``), never over an existing one without ``--force``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..build.writer import atomic_write
from ..config import CONFIG_NAMES
from ..init import Plan, make_plan, render
from ..init.render import GROUPS
from ..load.presets import PRESETS
from .common import EXIT_OK, EXIT_USAGE

#: flag → config key, for what a user sets on the command line
_VALUE_FLAGS = {
    "--title": ("title", "the show's name"),
    "--description": ("description", "what the show is about"),
    "--site-url": ("site_url", "the show's website (https)"),
    "--feed-url": ("feed_url", "where the feed is served: keep the URL subscribers have"),
    "--base-url": ("base_url", "where dist/ will be served (chapters, transcripts)"),
    "--media-url": ("media_url", "the address put before an audio file name"),
    "--page-base-url": ("page_base_url", "the site's address as its generator writes links"),
    "--language": ("language", "language code, like en"),
    "--image": ("image", "show artwork URL"),
    "--author": ("author", "who makes the show"),
    "--owner-name": ("owner_name", "itunes:owner name"),
    "--owner-email": ("owner_email", "itunes:owner email"),
    "--preset": (
        "preset",
        "the site layout (castanet, jekyll-podcast, astropod, octopod, flat, "
        "datatalksclub) instead of the one detected",
    ),
    "--episodes-dir": ("episodes_dir", "the episode files' folder, relative to the site"),
    "--timezone": ("timezone", "the zone of dates without one, like Europe/Berlin"),
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "init",
        help="write a config for an existing Hugo, Jekyll, Astro or Eleventy site",
        description="Recognise the site's generator and podcast convention from its files and "
        "write feedgen-pod.yaml with everything that could be inferred, and a TODO for what "
        "could not. Reads the site's files; never changes them.",
    )
    parser.add_argument(
        "site", nargs="?", type=Path, default=Path("."), help="the site's root (default: .)"
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help=f"where to write the config (default: {CONFIG_NAMES[0]} in the site's root)",
    )
    parser.add_argument("--force", action="store_true", help="replace an existing config")
    parser.add_argument(
        "--stdout", action="store_true", help="print the config instead of writing it"
    )
    for flag, (key, text) in _VALUE_FLAGS.items():
        choices = sorted(PRESETS) if key == "preset" else None
        parser.add_argument(flag, dest=key, metavar="VALUE", help=text, choices=choices)
    parser.add_argument(
        "--category",
        dest="categories",
        action="append",
        metavar="NAME",
        help="an Apple category, like Technology or 'Business/Careers' (repeatable)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    root: Path = args.site
    if not root.is_dir():
        print(f"error: {root}: no such folder; run init in the site's root", file=sys.stderr)
        return EXIT_USAGE
    target = args.config or root / CONFIG_NAMES[0]
    existing = [p for p in [target, *(root / n for n in CONFIG_NAMES)] if p.is_file()]
    if existing and not args.force and not args.stdout:
        print(
            f"error: {existing[0]} exists; init never replaces a config (pass --force to)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    overrides = {key: getattr(args, key) for key, _ in _VALUE_FLAGS.values()}
    overrides["categories"] = args.categories
    plan = make_plan(root, overrides)
    text = render(plan)
    if args.stdout:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        atomic_write(target, text.encode("utf-8"))
    except OSError as exc:
        print(f"error: cannot write {target}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    print(summary(plan, target, root))
    return EXIT_OK


def summary(plan: Plan, target: Path, root: Path) -> str:
    """What was found, what is left to do, and the next command."""
    gen = plan.generator
    conv = plan.convention
    lines = [
        f"site: {gen.label} ({', '.join(gen.evidence)})"
        if gen
        else "site: no generator recognised (no hugo.toml, config.toml, _config.yml, "
        "astro.config.*, .astropod/ or eleventy.config.*)"
    ]
    if conv.preset and "episodes_dir" in plan.entries:
        lines.append(
            f"episodes: {conv.matched} files in {plan.entries['episodes_dir'].value}, "
            f"preset {conv.preset}"
        )
    else:
        lines.append(f"episodes: none recognised among {conv.searched} Markdown files")
    order = [k for _, keys in GROUPS for k in keys]
    shown = sorted(plan.entries, key=lambda k: order.index(k) if k in order else len(order))
    shown = [k for k in shown if k not in {"preset", "episodes_dir", "description"}]
    width = max((len(k) for k in shown), default=0)
    for key in shown:
        entry = plan.entries[key]
        lines.append(f"  {key:<{width}}  {_shown(entry.value)}   ({entry.source})")
    for note in plan.notes:
        lines.append(f"note: {note}")
    for key, why in plan.todo.items():
        lines.append(f"TODO {key}: {why}")
    lines.append(f"wrote {target}")
    here = "" if root.resolve() == Path.cwd().resolve() else f"cd {root} && "
    config = "" if target.resolve() == (root / CONFIG_NAMES[0]).resolve() else f" --config {target}"
    if plan.todo:
        lines.append(
            f"next: fill in the TODO lines of {target}, then {here}feedgen-pod build{config}"
        )
    else:
        lines.append(f"next: {here}feedgen-pod build{config}")
    if "feed_url" in plan.entries:
        lines.append(
            f"then: feedgen-pod diff {plan.entries['feed_url'].value} dist/feed.xml  "
            "(the live feed against the new one: exit 0 when no subscriber would see a break)"
        )
    if gen and gen.name == "jekyll":
        lines.append(
            f"tip: add {target.name}, dist and .cache to _config.yml's exclude: so that Jekyll "
            "does not publish them"
        )
    return "\n".join(lines)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)
