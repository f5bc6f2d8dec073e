"""``feedgen-pod publish``: send what changed in dist/ to a folder or an S3-compatible bucket."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import CONFIG_NAMES, default_config_path, load_config
from ..errors import ConfigError
from ..model import PublishSettings, Show
from ..net import policy_for
from ..publish import publish
from ..publish.notify import notices, send_all
from .common import EXIT_INPUT, EXIT_OK, add_network_arguments

DEFAULT_CONFIG = default_config_path()


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "publish",
        help="upload the files of dist/ that changed since the last publish",
        description="Compare dist/manifest.json with the manifest published last time and "
        "upload only the files whose hash differs, with their Content-Type and Cache-Control; "
        "the feed and the manifest go last. When the feed changed, the WebSub hubs, Podping "
        "and notify URLs of the config's publish: section are told.",
    )
    parser.add_argument(
        "--to",
        metavar="DIR_OR_S3_URL",
        help="a folder, or s3://bucket/prefix (default: the config's publish.to)",
    )
    parser.add_argument(
        "--dist", type=Path, default=Path("dist"), help="the built folder (default: dist)"
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=DEFAULT_CONFIG,
        help=f"the show's config, for its publish: section (default: {CONFIG_NAMES[0]}, else "
        f"{CONFIG_NAMES[1]})",
    )
    parser.add_argument(
        "--endpoint-url",
        metavar="URL",
        help="S3-compatible endpoint (MinIO, R2, ...); default AWS or publish.endpoint_url",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="list what would change; send nothing",
    )
    parser.add_argument(
        "--delete",
        action="store_true",
        help="also delete remote files that the last publish sent and this build no longer has",
    )
    parser.add_argument(
        "--no-notify",
        action="store_true",
        help="do not tell WebSub hubs, Podping or notify URLs that the feed changed",
    )
    add_network_arguments(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="only the summary line")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings, show = _settings(args.config)
    to = args.to or settings.to
    if not to:
        raise ConfigError("where to? pass --to DIR or --to s3://bucket/prefix (or set publish.to)")
    todo = []
    if show is not None and settings.notifies and not args.no_notify:
        todo = notices(settings, show.feed_url, show.medium)  # before sending: a missing token
    result = publish(
        args.dist,
        to,
        settings,
        dry_run=args.dry_run,
        delete=args.delete,
        endpoint_url=args.endpoint_url,
    )
    if not args.quiet:
        prefix = "would " if args.dry_run else ""
        for step in result.plan.steps:
            print(f"{prefix}{step.action} {step.path} ({step.reason})")
    print(result.summary_line(args.dry_run))
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not todo or not result.feed_changed:
        return EXIT_OK
    if args.dry_run:
        if not args.quiet:
            for notice in todo:
                print(f"would notify {notice.kind} {notice.url}")
        return EXIT_OK
    if show is not None and result.podping_reason != "update":  # token checked before upload
        todo = notices(settings, show.feed_url, show.medium, result.podping_reason)
    network = show.sections.get("network") if show is not None else None
    policy = policy_for(network, args.timeout, args.allow_private)
    code = EXIT_OK
    for answer in send_all(todo, policy=policy):  # every endpoint, whatever the others did
        if answer.ok:
            if not args.quiet:
                print(f"notified {answer.describe()}")
        else:
            print(f"error: notification failed: {answer.describe()}", file=sys.stderr)
            code = EXIT_INPUT
    return code


def _settings(config: Path) -> tuple[PublishSettings, Show | None]:
    """The publish settings and the show (for its feed URL), or defaults without a config."""
    if config == DEFAULT_CONFIG and not config.exists():
        return PublishSettings(), None
    show, _ = load_config(config)
    return show.publish, show
