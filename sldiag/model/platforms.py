"""The platforms of parsers/platforms.yaml: their names, aliases and prompt styles."""

from __future__ import annotations

from dataclasses import dataclass

from ..base.errors import DataError
from ..base.resources import data_dir, load_yaml_cached


@dataclass(frozen=True)
class Identity:
    """What tells that prompts of different names belong to one device."""

    default_hostnames: frozenset[str]     # lower case
    standby_suffix: str
    hop_verbs: tuple[str, ...]
    rename: str                           # a regex, group 1: the new name
    console_lines: str                    # a regex for lines only a console shows


@dataclass(frozen=True)
class PromptStyle:
    host: str                  # a regex for the hostname part
    mode: str                  # a regex for a configuration mode, "(config-if)"
    ends: str                  # the characters that end a prompt
    exec_verbs: tuple[str, ...]
    identity: Identity | None = None


@dataclass(frozen=True)
class Platform:
    name: str
    title: str
    aliases: tuple[str, ...]
    prompt: PromptStyle


def _load() -> tuple[dict[str, Platform], str]:
    path = data_dir("parsers") / "platforms.yaml"
    doc = load_yaml_cached(path)
    try:
        styles = {name: PromptStyle(str(p["host"]), str(p["mode"]), str(p["ends"]),
                                    tuple(str(v) for v in p["exec_verbs"]),
                                    _identity(p.get("identity")))
                  for name, p in doc["prompts"].items()}
        platforms = {name: Platform(name, str(p["title"]),
                                    tuple(str(a) for a in p.get("aliases") or []),
                                    styles[p["prompt"]])
                     for name, p in doc["platforms"].items()}
        default = str(doc["default"])
    except (KeyError, TypeError, AttributeError) as exc:
        raise DataError(f"{path}: invalid platform entry ({type(exc).__name__}: {exc})"
                        ) from None
    if default not in platforms:
        raise DataError(f"{path}: default: no platform '{default}'")
    return platforms, default


def _identity(doc: dict | None) -> Identity | None:
    if not doc:
        return None
    return Identity(frozenset(str(n).lower() for n in doc.get("default_hostnames") or []),
                    str(doc.get("standby_suffix") or ""),
                    tuple(str(v).lower() for v in doc.get("hop_verbs") or []),
                    str(doc["rename"]), str(doc["console_lines"]))


PLATFORMS, DEFAULT_PLATFORM = _load()


def normal_name(given: object) -> str:
    return str(given).strip().lower().replace("-", "_")


def platform_named(given: object | None) -> Platform | None:
    """The platform an inventory's name (or alias, any case, NetBox slug) means; the default
    one for none; None for a platform sldiag does not know."""
    if given is None or given == "":
        return PLATFORMS[DEFAULT_PLATFORM]
    wanted = normal_name(given)
    for platform in PLATFORMS.values():
        if wanted == platform.name or wanted in platform.aliases:
            return platform
    return None


def prompt_styles() -> list[PromptStyle]:
    """The distinct prompt styles of every platform, in the order platforms are listed."""
    styles: list[PromptStyle] = []
    for platform in PLATFORMS.values():
        if platform.prompt not in styles:
            styles.append(platform.prompt)
    return styles


def identity_rules() -> Identity | None:
    """How prompts of different names are told to be one device (the first style's that
    says)."""
    return next((style.identity for style in prompt_styles() if style.identity), None)
