#!/usr/bin/env python3
"""Computes the session layer's test vector (docs/SECURITY.md, "Test vector") independently of the
Java implementation, with the `cryptography` package (pip install cryptography), and prints it in
the format of session-vectors.txt: a name on one line, its value (hex, or text) indented below.

    python3 session-vectors.py > session-vectors.txt

SessionVectorsTest (ensemble-transport-api) recomputes every value with the Java implementation and
compares it with that file.
"""
import hashlib
import hmac

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

RAW = dict(encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw)


def hkdf_expand(prk, info, length):
    out, block, i = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([i]), hashlib.sha256).digest()
        out += block
        i += 1
    return out[:length]


skI = Ed25519PrivateKey.from_private_bytes(bytes([0x01]) * 32)
skR = Ed25519PrivateKey.from_private_bytes(bytes([0x02]) * 32)
pkI = skI.public_key().public_bytes(**RAW)
pkR = skR.public_key().public_bytes(**RAW)
context = b"lobby"
nI = bytes([0x11]) * 32
nR = bytes([0x22]) * 32
# RFC 7748, section 6.1: Alice's key pair for the initiator, Bob's for the responder.
eI_priv = bytes.fromhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
eR_priv = bytes.fromhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")
eI = X25519PrivateKey.from_private_bytes(eI_priv).public_key().public_bytes(**RAW)
eR = X25519PrivateKey.from_private_bytes(eR_priv).public_key().public_bytes(**RAW)
dh = X25519PrivateKey.from_private_bytes(eI_priv).exchange(X25519PublicKey.from_public_bytes(eR))

T = b"ensemble-session/2" + bytes([len(context)]) + context + pkI + pkR + nI + nR + eI + eR
th = hashlib.sha256(T).digest()
sigR = skR.sign(b"ensemble-session/2 responder" + th)
sigI = skI.sign(b"ensemble-session/2 initiator" + th)
sigF = skR.sign(b"ensemble-session/2 responder finished" + th)
prk = hmac.new(th, dh, hashlib.sha256).digest()
kIR = hkdf_expand(prk, b"ensemble-session/2 initiator to responder", 32)
kRI = hkdf_expand(prk, b"ensemble-session/2 responder to initiator", 32)
sid = hkdf_expand(prk, b"ensemble-session/2 session id", 8)


def data(key, counter, plaintext):
    header = bytes([0x02, 0x10]) + sid + counter.to_bytes(8, "big")
    nonce = bytes(4) + counter.to_bytes(8, "big")
    return header + ChaCha20Poly1305(key).encrypt(nonce, plaintext, header)


vectors = [
    ("initiator ed25519 seed", bytes([0x01]) * 32),
    ("responder ed25519 seed", bytes([0x02]) * 32),
    ("context (room, text)", "lobby"),
    ("nI", nI),
    ("nR", nR),
    ("eI private", eI_priv),
    ("eR private", eR_priv),
    ("pkI", pkI),
    ("pkR", pkR),
    ("eI", eI),
    ("eR", eR),
    ("dh", dh),
    ("th", th),
    ("kIR", kIR),
    ("kRI", kRI),
    ("sid", sid),
    ("sigR", sigR),
    ("sigI", sigI),
    ("sigF", sigF),
    ("init frame", bytes([0x02, 0x01]) + nI + eI),
    ("accept frame", bytes([0x02, 0x02]) + nI + nR + eR + sigR),
    ("confirm frame", bytes([0x02, 0x03]) + nI + nR + sigI),
    ("finished frame", bytes([0x02, 0x04]) + nI + nR + sigF),
    ("data frame, initiator to responder, counter 0, plaintext \"hi\"", data(kIR, 0, b"hi")),
    ("data frame, responder to initiator, counter 1, plaintext \"ho\"", data(kRI, 1, b"ho")),
]
for name, value in vectors:
    print(name)
    print("  " + (value if isinstance(value, str) else value.hex()))
