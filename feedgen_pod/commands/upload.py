"""``feedgen-pod upload TARGET``: the built transcripts and chapters to YouTube or a podcast host.

Thin: it reads the config's ``upload:`` section, the build's ``dist/`` and the upload state,
makes the target's API object, and prints the plan or the outcome. Exit 1 when a call failed
(the others were still made), 2 when nothing could start (config, sign-in, token, dist/).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from ..build.cache import default_cache_dir
from ..config import CONFIG_NAMES, default_config_path, load_config
from ..errors import ConfigError
from ..net import Client, policy_for
from ..upload import buzzsprout, hosts, plan, transistor
from ..upload.settings import HostSettings, YouTubeSettings, upload_settings
from ..upload.sidecars import BuiltEpisode, DistUnreadable, read_dist
from ..upload.state import STATE_FILE, UploadState
from .common import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    add_network_arguments,
    add_report_file_arguments,
    write_report,
)

TARGETS = ("youtube", "buzzsprout", "transistor")
#: the deadline of an upload's request when neither --timeout nor network.timeout is given
UPLOAD_TIMEOUT = 60.0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "upload",
        help="send the built transcripts and chapters to YouTube, Buzzsprout or Transistor",
        description="Send each episode's edited transcript and chapters from dist/ to a target, "
        "only what changed since the last upload, never replacing what someone edited on "
        "the target since (unless --force).",
    )
    parser.add_argument("target", choices=TARGETS, help="where to send")
    parser.add_argument(
        "--config",
        type=Path,
        default=default_config_path(),
        help=f"the show's config, for its upload: section (default: {CONFIG_NAMES[0]}, else "
        f"{CONFIG_NAMES[1]})",
    )
    parser.add_argument(
        "--dist", type=Path, default=Path("dist"), help="the built folder (default: dist)"
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="where the upload state is kept (default: the build cache beside dist/)",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the plan; send nothing")
    parser.add_argument(
        "--only",
        metavar="EPISODE",
        action="append",
        default=[],
        help="only this episode (its slug; repeatable)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace what was edited on the target since the last upload",
    )
    parser.add_argument(
        "--login",
        action="store_true",
        help="youtube: sign in as the channel owner in a browser and store the token",
    )
    add_network_arguments(
        parser,
        timeout_help="deadline of each request, retries included (default: network.timeout, "
        "else 60: a file takes longer than a page)",
    )
    add_report_file_arguments(parser, plan.FORMATS)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    show, _ = load_config(args.config)
    settings = upload_settings(show.sections.get("upload", {}), args.config)
    try:
        episodes = _episodes(read_dist(args.dist), args.only)
    except DistUnreadable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    state = UploadState((args.cache_dir or default_cache_dir(args.dist)) / STATE_FILE)
    target_settings = getattr(settings, args.target)
    network = show.sections.get("network") or {}
    policy = policy_for(network, args.timeout, args.allow_private)
    if args.timeout is None and network.get("timeout") is None:  # neither flag nor config
        policy = replace(policy, timeout=UPLOAD_TIMEOUT)
    policy = replace(  # the API root the user chose (a test double) is allowed by name
        policy, allow_hosts=policy.allow_hosts | {_host_port(target_settings.api_url)}
    )
    with Client(policy) as client:
        if args.target == "youtube":
            actions, unit = _youtube(args, client, settings.youtube, episodes, state)
        else:
            actions, unit = _upload_host(args, client, target_settings, episodes, state), "requests"
    if actions is None:
        return EXIT_USAGE
    if not write_report(
        plan.render(actions, args.format, dry_run=args.dry_run, unit=unit), args.output
    ):
        return EXIT_USAGE
    return EXIT_INPUT if any(a.verb in plan.FAILURES for a in actions) else EXIT_OK


def _episodes(episodes: list[BuiltEpisode], only: list[str]) -> list[BuiltEpisode]:
    if not only:
        return episodes
    unknown = set(only) - {e.slug for e in episodes}
    if unknown:
        raise ConfigError(f"--only {sorted(unknown)[0]}: no such episode in dist/ (use its slug)")
    return [e for e in episodes if e.slug in only]


def _youtube(
    args: argparse.Namespace,
    client: Client,
    settings: YouTubeSettings,
    episodes: list[BuiltEpisode],
    state: UploadState,
) -> tuple[list[plan.Action] | None, str]:
    """Google's libraries are an extra (``feedgen-pod[youtube]``), imported only here."""
    try:
        from ..upload import youtube, youtube_api
    except ImportError:
        raise ConfigError(
            "upload youtube needs Google's client libraries: pip install 'feedgen-pod[youtube]'"
        ) from None
    token_path = settings.token or youtube_api.default_token_path()
    if args.login:
        if settings.client_secrets is None:
            raise ConfigError(
                "upload.youtube.client_secrets: the OAuth client file from Google "
                "Cloud is needed to sign in (see the YouTube upload page)"
            )
        youtube_api.login(settings.client_secrets, token_path)
        print(f"signed in; token stored in {token_path}", file=sys.stderr)
    try:
        credentials = youtube_api.load_credentials(token_path, settings.token_url)
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None, "units"
    api = youtube_api.YouTubeApi(client, credentials, settings.api_url)
    actions = youtube.upload(episodes, api, state, settings, dry_run=args.dry_run, force=args.force)
    left = max(0, settings.daily_units - state.units_used(youtube.quota_day()))
    print(f"youtube: {left} of {settings.daily_units} units left today", file=sys.stderr)
    return actions, "units"


def _upload_host(
    args: argparse.Namespace,
    client: Client,
    settings: HostSettings,
    episodes: list[BuiltEpisode],
    state: UploadState,
) -> list[plan.Action] | None:
    module = buzzsprout if args.target == "buzzsprout" else transistor
    token = os.environ.get(module.TOKEN_VARIABLE, "").strip()
    if not token:
        print(f"error: set {module.TOKEN_VARIABLE} to the {args.target} API token", file=sys.stderr)
        return None
    try:
        host = (buzzsprout.Buzzsprout if module is buzzsprout else transistor.Transistor)(
            client, settings, token
        )
    except hosts.HostError as exc:
        raise ConfigError(str(exc)) from None
    return hosts.upload(episodes, host, state, dry_run=args.dry_run, force=args.force)


def _host_port(url: str) -> str:
    """The API root's address, allowed although private: the user chose it (a test double)."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)
