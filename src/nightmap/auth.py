"""Who may change the data: roles, the actor of a write, the users file and the sign-in throttle.

Three roles (:data:`ROLES`):

* ``viewer`` — reads every page; may not write;
* ``editor`` — uploads and commits files, edits and restores zones;
* ``admin`` — everything an editor may, plus rolling batches back and seeing the user list.

The check is made on the server, in the store's one write path
(:meth:`nightmap.store.Store._write` calls :func:`require`), so hiding a button
is never the only barrier. It depends only on an :class:`Actor` — a user name
and a role — and not on how the user signed in: the sign-in form of
``streamlit-authenticator`` (:mod:`nightmap.ui.auth`), Streamlit's OIDC
``st.login`` (see ``docs/auth.md``), or the operating-system user in
single-user mode and on the command line (:func:`local_actor`).

Users live in a YAML file outside the repository (``$NIGHTMAP_AUTH``; a sample
is ``auth.example.yaml``) in streamlit-authenticator's layout::

    cookie: {name: nightmap_auth, key: <random secret>, expiry_days: 1}
    credentials:
      usernames:
        wang: {name: 王科员, password: <bcrypt hash>, roles: [editor]}

Passwords are stored only as bcrypt hashes (:func:`hash_password`, the
``bcrypt`` package); this module never writes a plain password anywhere.
"""

from __future__ import annotations

import getpass
import os
import re
import secrets
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bcrypt
import yaml

from nightmap.errors import NightmapError, StoreError
from nightmap.i18n import t

ROLES: tuple[str, ...] = ("viewer", "editor", "admin")
"""The roles, weakest first."""

ACTIONS: dict[str, frozenset[str]] = {
    "ingest": frozenset({"editor", "admin"}),
    "zone_edit": frozenset({"editor", "admin"}),
    "rollback": frozenset({"admin"}),
    "users": frozenset({"admin"}),
}
"""Which roles may do each write (and the admin-only user list)."""

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,31}$")
"""User names: lower case (the sign-in form lower-cases what is typed), 1–32 characters."""
MIN_PASSWORD = 8
MAX_PASSWORD_BYTES = 72
"""bcrypt uses at most 72 bytes of a password; longer ones are refused rather than cut."""
MIN_COOKIE_KEY = 32
"""The cookie-signing key must be at least this many characters."""
DEFAULT_COOKIE_NAME = "nightmap_auth"
DEFAULT_EXPIRY_DAYS = 1.0


class AccessDeniedError(StoreError):
    """A write was refused because the actor is missing or its role may not do it; nothing was written."""

    def __init__(self, action: str, actor: Actor | None) -> None:
        self.action = action
        self.actor = actor
        allowed = "、".join(r for r in ROLES if r in ACTIONS.get(action, frozenset()))
        allowed_en = ", ".join(r for r in ROLES if r in ACTIONS.get(action, frozenset()))
        if actor is None:
            text = (f"未登录，不能修改数据（需要角色：{allowed}），未写入任何数据 / not signed in: "
                    f"changing data needs the role {allowed_en}; nothing was written")
        else:
            text = (f"用户 {actor.user}（角色 {actor.role}）无权执行此操作（需要角色：{allowed}），未写入任何数据 / "
                    f"user {actor.user} (role {actor.role}) may not do this ({action} needs {allowed_en}); "
                    "nothing was written")
        super().__init__(text)


class AuthConfigError(NightmapError):
    """The users file is missing, unreadable or unsafe (e.g. a short cookie key)."""


@dataclass(frozen=True)
class Actor:
    """Who makes a change: the user name recorded in the audit log and the role checked before writing.

    Attributes
    ----------
    user
        The signed-in user name, or the operating-system user in single-user mode and on the command line.
    role
        One of :data:`ROLES`.
    name
        A display name (may be empty).
    """

    user: str
    role: str
    name: str = ""

    def can(self, action: str) -> bool:
        """Whether this actor's role may do ``action`` (a key of :data:`ACTIONS`)."""
        return can(self, action)


def role_label(role: str, lang: str) -> str:
    """A role's name in ``lang`` (查看 / 编辑 / 管理员)."""
    return t(f"auth.role.{role}", lang)


def can(actor: Actor | None, action: str) -> bool:
    """Whether ``actor`` may do ``action``; no actor, an unknown role or an unknown action may not.

    Parameters
    ----------
    actor
        The signed-in user, or ``None`` for nobody.
    action
        ``"ingest"``, ``"zone_edit"``, ``"rollback"`` or ``"users"``.
    """
    if actor is None or not str(actor.user or "").strip():
        return False
    return actor.role in ACTIONS.get(action, frozenset())


DATA_SECTIONS: tuple[str, ...] = ("upload", "batches", "zones", "log")
"""The Data page's sections; ``upload`` and ``zones`` hold writing controls."""


def data_sections(actor: Actor | None) -> tuple[str, ...]:
    """The Data page sections ``actor`` is shown: without the writing ones (upload, zones) for a viewer.

    Rollback lives in ``batches``; its controls are shown only when :func:`can` ``(actor, "rollback")``.
    """
    if can(actor, "ingest") or can(actor, "zone_edit"):
        return DATA_SECTIONS
    return tuple(s for s in DATA_SECTIONS if s not in ("upload", "zones"))


def require(actor: Actor | None, action: str) -> Actor:
    """Return ``actor`` if it may do ``action``.

    Raises
    ------
    AccessDeniedError
        Otherwise; the caller has written nothing yet.
    """
    if not can(actor, action):
        raise AccessDeniedError(action, actor)
    assert actor is not None
    return actor


def os_user() -> str:
    """The operating-system user running this process (``"unknown"`` when it cannot be told)."""
    try:
        return getpass.getuser() or "unknown"
    except (KeyError, OSError):
        return "unknown"


def local_actor() -> Actor:
    """The actor of single-user mode and the command line: the OS user, with every right on their own store.

    Whoever can run the command can already write the database file, so a role
    check would protect nothing there; the OS user is still recorded in the log.
    """
    return Actor(os_user(), "admin")


def strongest_role(roles: Any) -> str:
    """The most powerful known role of a user's ``roles`` list; ``viewer`` when none is known."""
    listed = [roles] if isinstance(roles, str) else list(roles or [])
    known = [r for r in ROLES if r in listed]
    return known[-1] if known else "viewer"


# --------------------------------------------------------------------------- the users file


def auth_path() -> Path | None:
    """The users file named by ``$NIGHTMAP_AUTH``, or ``None`` (single-user mode) when unset or empty."""
    value = os.environ.get("NIGHTMAP_AUTH", "").strip()
    return Path(value).expanduser() if value else None


@dataclass(frozen=True)
class AuthConfig:
    """A validated users file.

    Attributes
    ----------
    path
        Where it was read from.
    cookie_name, cookie_key, expiry_days
        The sign-in cookie: its name, the secret that signs it, and how many days it lasts.
    users
        User name → ``{"name": display name, "password": bcrypt hash, "roles": [role]}``.
    """

    path: Path
    cookie_name: str
    cookie_key: str
    expiry_days: float
    users: dict[str, dict[str, Any]]

    def role_of(self, user: str) -> str | None:
        """The role of ``user`` from the file, ``None`` if the user is not (or no longer) in it."""
        entry = self.users.get(str(user or "").lower())
        return None if entry is None else strongest_role(entry.get("roles"))

    def actor(self, user: str) -> Actor | None:
        """The actor of a signed-in ``user`` with the role the file gives them now; ``None`` if unknown."""
        role = self.role_of(user)
        if role is None:
            return None
        name = str(self.users[str(user).lower()].get("name") or "")
        return Actor(str(user).lower(), role, name)

    def credentials(self) -> dict[str, Any]:
        """A fresh copy of the users in streamlit-authenticator's ``credentials`` layout."""
        return {"usernames": {u: dict(v) for u, v in self.users.items()}}

    def user_rows(self) -> list[dict[str, str]]:
        """User name, display name and role of every user (never the hash), sorted by user name."""
        return [{"user": u, "name": str(v.get("name") or ""), "role": strongest_role(v.get("roles"))}
                for u, v in sorted(self.users.items())]


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AuthConfigError(f"找不到用户文件 {path} / the users file {path} does not exist") from None
    except OSError as exc:
        raise AuthConfigError(f"无法读取用户文件 {path} / cannot read the users file {path}: {exc}") from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise AuthConfigError(f"用户文件 {path} 不是有效的 YAML / the users file {path} is not valid YAML: "
                              f"{exc}") from None
    if not isinstance(data, dict):
        raise AuthConfigError(f"用户文件 {path} 格式不对 / the users file {path} has the wrong layout")
    return data


def load_config(path: Path) -> AuthConfig:
    """Read and check a users file.

    Raises
    ------
    AuthConfigError
        When the file cannot be read, a user has no bcrypt hash or an unknown
        role, or the cookie key is shorter than :data:`MIN_COOKIE_KEY`.
    """
    path = Path(path)
    data = _read_yaml(path)
    cookie = data.get("cookie") or {}
    key = str(cookie.get("key") or "")
    if len(key) < MIN_COOKIE_KEY:
        raise AuthConfigError(
            f"用户文件 {path} 的 cookie.key 至少需要 {MIN_COOKIE_KEY} 个字符的随机字符串 / cookie.key in {path} "
            f"must be a random string of at least {MIN_COOKIE_KEY} characters"
        )
    users_raw = ((data.get("credentials") or {}).get("usernames")) or {}
    users: dict[str, dict[str, Any]] = {}
    for raw_name, entry in users_raw.items():
        user = str(raw_name).lower()
        entry = dict(entry or {})
        if not is_hash(str(entry.get("password") or "")):
            raise AuthConfigError(f"用户 {user} 的密码不是 bcrypt 哈希（请用 nightmap users add 设置） / the password "
                                  f"of {user} is not a bcrypt hash (set it with nightmap users add)")
        roles = entry.get("roles") or []
        roles = [roles] if isinstance(roles, str) else list(roles)
        unknown = [r for r in roles if r not in ROLES]
        if unknown:
            raise AuthConfigError(f"用户 {user} 的角色 {unknown} 未知（可用：{'/'.join(ROLES)}） / user {user} has "
                                  f"unknown role(s) {unknown} (known: {', '.join(ROLES)})")
        users[user] = {"name": str(entry.get("name") or user), "password": str(entry["password"]),
                       "roles": roles or ["viewer"]}
    try:
        expiry = float(cookie.get("expiry_days", DEFAULT_EXPIRY_DAYS))
    except (TypeError, ValueError):
        expiry = DEFAULT_EXPIRY_DAYS
    return AuthConfig(path, str(cookie.get("name") or DEFAULT_COOKIE_NAME), key, expiry, users)


def is_hash(text: str) -> bool:
    """Whether ``text`` looks like a bcrypt hash (``$2a$``/``$2b$``/``$2y$``, 60 characters)."""
    return bool(re.fullmatch(r"\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}", text))


def password_problem(password: str) -> str | None:
    """Why a new password is refused (``"中文 / English"``), or ``None`` when it is acceptable."""
    if len(password) < MIN_PASSWORD:
        return f"密码至少 {MIN_PASSWORD} 个字符 / the password needs at least {MIN_PASSWORD} characters"
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        return f"密码最多 {MAX_PASSWORD_BYTES} 字节 / the password may have at most {MAX_PASSWORD_BYTES} bytes"
    if password != password.strip():
        return "密码首尾不能有空格 / the password must not start or end with a space"
    return None


def hash_password(password: str) -> str:
    """The bcrypt hash of ``password`` (a fresh salt each time).

    Raises
    ------
    AuthConfigError
        If :func:`password_problem` refuses the password.
    """
    problem = password_problem(password)
    if problem:
        raise AuthConfigError(problem)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def check_password(password: str, hashed: str) -> bool:
    """Whether ``password`` matches the bcrypt ``hashed`` (``False`` for anything malformed)."""
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
    except ValueError:
        return False


def _write_yaml(path: Path, data: Mapping[str, Any]) -> None:
    """Write the users file atomically, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("# nightmap users: bcrypt hashes only; edit with `nightmap users add/remove`.\n")
            yaml.safe_dump(dict(data), fh, allow_unicode=True, sort_keys=False)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add_user(path: Path, user: str, *, password: str, role: str, name: str = "") -> bool:
    """Add ``user`` to the users file (creating it, with a random cookie key), or replace their password and role.

    Parameters
    ----------
    path
        The users file.
    user
        Lower-case user name (:data:`USERNAME_RE`).
    password
        The new password; only its bcrypt hash is stored.
    role
        One of :data:`ROLES`.
    name
        Display name (default: the user name).

    Returns
    -------
    bool
        ``True`` when the user is new, ``False`` when an existing user was updated.

    Raises
    ------
    AuthConfigError
        For a bad user name, role or password, or an unreadable file.
    """
    if not USERNAME_RE.fullmatch(user):
        raise AuthConfigError(f"用户名 {user!r} 无效：只能用小写字母、数字和 _ . -，最多 32 个字符 / user name {user!r} is "
                              "invalid: lower-case letters, digits and _ . - only, at most 32 characters")
    if role not in ROLES:
        raise AuthConfigError(f"角色 {role!r} 未知（可用：{'/'.join(ROLES)}） / unknown role {role!r} "
                              f"(known: {', '.join(ROLES)})")
    hashed = hash_password(password)
    path = Path(path)
    data = _read_yaml(path) if path.exists() else {}
    cookie = dict(data.get("cookie") or {})
    if len(str(cookie.get("key") or "")) < MIN_COOKIE_KEY:
        cookie["key"] = secrets.token_urlsafe(48)
    cookie.setdefault("name", DEFAULT_COOKIE_NAME)
    cookie.setdefault("expiry_days", DEFAULT_EXPIRY_DAYS)
    credentials = dict(data.get("credentials") or {})
    users = dict(credentials.get("usernames") or {})
    new = user not in users
    entry = dict(users.get(user) or {})
    entry.update({"name": name or entry.get("name") or user, "password": hashed, "roles": [role]})
    users[user] = entry
    credentials["usernames"] = users
    data = {**data, "cookie": cookie, "credentials": credentials}
    _write_yaml(path, data)
    return new


def remove_user(path: Path, user: str) -> None:
    """Remove ``user`` from the users file; their sign-in cookie stops working on its next use.

    Raises
    ------
    AuthConfigError
        If the file or the user does not exist.
    """
    path = Path(path)
    data = _read_yaml(path)
    users = dict(((data.get("credentials") or {}).get("usernames")) or {})
    if user not in users:
        raise AuthConfigError(f"用户 {user} 不存在 / there is no user {user}")
    del users[user]
    data["credentials"] = {**(data.get("credentials") or {}), "usernames": users}
    _write_yaml(path, data)


# --------------------------------------------------------------------------- wrong passwords


FIRST_DELAY_S = 1.0
MAX_DELAY_S = 30.0
FORGET_AFTER_S = 15 * 60.0


def failure_delay(failures: int) -> float:
    """Seconds to wait after the ``failures``-th wrong password in a row: 1, 2, 4, 8, 16, then 30 at most."""
    if failures <= 0:
        return 0.0
    return min(FIRST_DELAY_S * 2 ** (failures - 1), MAX_DELAY_S)


class LoginThrottle:
    """Counts wrong sign-ins per client (e.g. its address) so each one waits longer than the last.

    The count is kept in the process, forgotten after :data:`FORGET_AFTER_S`
    seconds without a failure and reset by a successful sign-in. The message
    shown is the same whether the user name or the password was wrong.
    """

    def __init__(self, clock: Any = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._fails: dict[str, tuple[int, float]] = {}

    def failures(self, client: str) -> int:
        """Wrong sign-ins of ``client`` in a row (0 once forgotten)."""
        with self._lock:
            count, last = self._fails.get(client, (0, 0.0))
            if count and self._clock() - last > FORGET_AFTER_S:
                del self._fails[client]
                return 0
            return count

    def remaining(self, client: str) -> float:
        """Seconds ``client`` must still wait after its last wrong sign-in (0 when none is pending)."""
        count = self.failures(client)
        if not count:
            return 0.0
        with self._lock:
            _, last = self._fails.get(client, (0, 0.0))
        return max(0.0, last + failure_delay(count) - self._clock())

    def failed(self, client: str) -> float:
        """Record a wrong sign-in of ``client``; return how many seconds it must wait now."""
        count = self.failures(client) + 1
        with self._lock:
            self._fails[client] = (count, self._clock())
        return failure_delay(count)

    def succeeded(self, client: str) -> None:
        """Forget ``client``'s wrong sign-ins."""
        with self._lock:
            self._fails.pop(client, None)


THROTTLE = LoginThrottle()
"""The process's throttle, shared by every browser session of the app."""
