"""Encrypt answers at rest: a fresh AES-GCM data key per row, wrapped by a key from the environment.

``QUESTIONNAIRE_DATA_KEYS`` holds one or more keys as ``id:base64`` separated by commas or spaces;
the first one wraps new rows, the others only unwrap old ones. Rotation is: put a new key first,
run ``flask --app app keys rotate`` (which re-wraps every row's data key, never re-encrypting the
answers), then drop the old key. Each ciphertext is bound to its table and row id (associated
data), so a row's sealed answers cannot be moved to another row and still open.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE = 12
KEY_BYTES = 32
KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")


class KeySettingError(ValueError):
    """Say why the key setting cannot be used (never showing a key)."""


class CannotOpen(Exception):
    """A sealed value did not open: unknown key id, wrong key, or tampered data."""


@dataclass(frozen=True, slots=True)
class Sealed:
    """Hold what a row stores: the wrapping key's id, the wrapped data key and the ciphertext."""

    key_id: str
    wrapped_key: bytes
    ciphertext: bytes


def new_key_setting(key_id: str | None = None) -> str:
    """Return a new random key in the ``id:base64`` form the setting takes."""
    name = key_id or "k" + secrets.token_hex(3)
    return f"{name}:{base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode('ascii')}"


def parse_keys(text: str) -> list[tuple[str, bytes]]:
    """Read ``id:base64`` keys separated by commas or whitespace, the current one first."""
    keys: list[tuple[str, bytes]] = []
    for number, item in enumerate((p for p in re.split(r"[\s,]+", text.strip()) if p), start=1):
        key_id, sep, encoded = item.partition(":")
        if not sep or not KEY_ID.match(key_id):
            raise KeySettingError(
                f"key {number} must look like ID:BASE64, with an ID of letters, digits, '.', '_' or '-'"
            )
        try:
            raw = base64.b64decode(encoded + "=" * (-len(encoded) % 4), altchars=b"-_", validate=True)
        except (binascii.Error, ValueError):
            raise KeySettingError(f"key {number} ('{key_id}') is not valid base64") from None
        if len(raw) != KEY_BYTES:
            raise KeySettingError(f"key {number} ('{key_id}') must be {KEY_BYTES} random bytes, not {len(raw)}")
        if any(key_id == known for known, _ in keys):
            raise KeySettingError(f"key id '{key_id}' is listed twice")
        keys.append((key_id, raw))
    if not keys:
        raise KeySettingError("no key given")
    return keys


class KeyRing:
    """Seal and open row data with envelope encryption; the first key is the current one."""

    def __init__(self, keys: list[tuple[str, bytes]]) -> None:
        if not keys:
            raise KeySettingError("no key given")
        self.current_id = keys[0][0]
        self._wrappers = {key_id: AESGCM(raw) for key_id, raw in keys}

    @classmethod
    def from_setting(cls, text: str) -> KeyRing:
        """Build a key ring from the ``QUESTIONNAIRE_DATA_KEYS`` text."""
        return cls(parse_keys(text))

    @property
    def key_ids(self) -> list[str]:
        """Return the key ids, the current one first."""
        return list(self._wrappers)

    def seal(self, plaintext: bytes, context: str) -> Sealed:
        """Encrypt with a fresh data key and wrap that key with the current key."""
        data_key = AESGCM.generate_key(bit_length=KEY_BYTES * 8)
        nonce = os.urandom(NONCE)
        ciphertext = nonce + AESGCM(data_key).encrypt(nonce, plaintext, context.encode())
        return Sealed(self.current_id, self._wrap(self.current_id, data_key, context), ciphertext)

    def open(self, sealed: Sealed, context: str) -> bytes:
        """Unwrap the data key and decrypt; raise CannotOpen on any mismatch."""
        data_key = self._unwrap(sealed, context)
        try:
            return AESGCM(data_key).decrypt(sealed.ciphertext[:NONCE], sealed.ciphertext[NONCE:], context.encode())
        except (InvalidTag, ValueError):
            raise CannotOpen("the answers do not match their key or row") from None

    def rewrap(self, sealed: Sealed, context: str) -> Sealed:
        """Return the same ciphertext with its data key wrapped by the current key."""
        if sealed.key_id == self.current_id:
            return sealed
        data_key = self._unwrap(sealed, context)
        return Sealed(self.current_id, self._wrap(self.current_id, data_key, context), sealed.ciphertext)

    def _wrap(self, key_id: str, data_key: bytes, context: str) -> bytes:
        nonce = os.urandom(NONCE)
        return nonce + self._wrappers[key_id].encrypt(nonce, data_key, f"{key_id}|{context}".encode())

    def _unwrap(self, sealed: Sealed, context: str) -> bytes:
        wrapper = self._wrappers.get(sealed.key_id)
        if wrapper is None:
            raise CannotOpen(f"no key with id '{sealed.key_id}' is configured")
        wrapped = sealed.wrapped_key
        try:
            return wrapper.decrypt(wrapped[:NONCE], wrapped[NONCE:], f"{sealed.key_id}|{context}".encode())
        except (InvalidTag, ValueError):
            raise CannotOpen("the data key does not open with the configured key") from None
