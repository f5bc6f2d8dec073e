"""Where ``publish`` sends files: a local folder, or an S3-compatible bucket (boto3, optional)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from ..build.writer import atomic_write, safe_relative
from ..errors import ConfigError, FeedgenPodError


class Target(Protocol):
    def read(self, path: str) -> bytes | None:
        """The bytes at ``path``, None when there is nothing there."""

    def put(self, path: str, data: bytes, content_type: str, cache_control: str) -> None: ...

    def delete(self, path: str) -> None: ...


class DirTarget:
    """A folder (a mounted web root, a checkout of a static site); writes are atomic."""

    def __init__(self, root: Path):
        self.root = root

    def _file(self, path: str) -> Path:
        return self.root.joinpath(*safe_relative(path).parts)

    def read(self, path: str) -> bytes | None:
        try:
            return self._file(path).read_bytes()
        except OSError:
            return None

    def put(self, path: str, data: bytes, content_type: str, cache_control: str) -> None:
        atomic_write(self._file(path), data)

    def delete(self, path: str) -> None:
        target = self._file(path)
        target.unlink(missing_ok=True)
        parent = target.parent
        while parent != self.root:
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent


class S3Target:
    """``s3://bucket/prefix`` on AWS or any S3-compatible store (``endpoint_url``)."""

    def __init__(self, bucket: str, prefix: str, endpoint_url: str | None = None):
        try:
            import boto3
            from botocore.exceptions import BotoCoreError, ClientError
        except ImportError:
            raise ConfigError(
                "publishing to s3:// needs boto3: pip install 'feedgen-pod[s3]'"
            ) from None
        self.errors = (BotoCoreError, ClientError)
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        session = boto3.session.Session()
        # the usual AWS chain (environment, ~/.aws/config); us-east-1 when nothing says
        region = os.environ.get("AWS_REGION") or session.region_name or "us-east-1"
        self.client = session.client("s3", endpoint_url=endpoint_url, region_name=region)

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"

    def cors_allows_any_origin(self) -> bool:
        """True when a CORS rule of the bucket lets any origin GET (web players need it).
        A store that cannot say (no permission, not implemented) is given the benefit of the
        doubt: only a bucket known to lack the rule is worth a warning."""
        try:
            rules = self.client.get_bucket_cors(Bucket=self.bucket).get("CORSRules", [])
        except self.errors as exc:
            code = getattr(exc, "response", {}).get("Error", {}).get("Code")
            return code != "NoSuchCORSConfiguration"
        return any(
            "*" in rule.get("AllowedOrigins", []) and "GET" in rule.get("AllowedMethods", [])
            for rule in rules
        )

    def key(self, path: str) -> str:
        return f"{self.prefix}/{path}" if self.prefix else path

    def read(self, path: str) -> bytes | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.key(path))
            return answer["Body"].read()
        except self.errors as exc:
            code = getattr(exc, "response", {}).get("Error", {}).get("Code")
            if code in ("NoSuchKey", "404"):
                return None
            raise FeedgenPodError(f"s3://{self.bucket}/{self.key(path)}: {exc}") from None

    def put(self, path: str, data: bytes, content_type: str, cache_control: str) -> None:
        try:
            self.client.put_object(
                Bucket=self.bucket,
                Key=self.key(path),
                Body=data,
                ContentType=content_type,
                CacheControl=cache_control,
            )
        except self.errors as exc:
            raise FeedgenPodError(f"upload of {path} failed: {exc}") from None

    def delete(self, path: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self.key(path))
        except self.errors as exc:
            raise FeedgenPodError(f"delete of {path} failed: {exc}") from None


def open_target(to: str, endpoint_url: str | None = None) -> Target:
    """``s3://bucket/prefix`` → S3Target; anything else is a folder."""
    if to.startswith("s3://"):
        bucket, _, prefix = to[len("s3://") :].partition("/")
        if not bucket:
            raise ConfigError(f"--to {to!r}: expected s3://bucket/prefix")
        return S3Target(bucket, prefix, endpoint_url)
    if "://" in to:
        raise ConfigError(f"--to {to!r}: expected a folder or s3://bucket/prefix")
    return DirTarget(Path(to))
