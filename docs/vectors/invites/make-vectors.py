#!/usr/bin/env python3
"""Computes the closed-room test vectors (docs/SECURITY.md, "Closed rooms") independently of the
Java code, with Python's `cryptography` package, and writes vectors.txt. The Java test
InviteVectorsTest reads vectors.txt, rebuilds every value with the Java code and checks each case.

Run: python3 make-vectors.py > vectors.txt
"""
import base64
import hashlib
import struct

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization


def key(seed_byte):
    private = Ed25519PrivateKey.from_private_bytes(bytes([seed_byte]) * 32)
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return private, public


def room_bytes(room):
    raw = room.encode("utf-8")
    return bytes([len(raw)]) + raw


def invite(issuer, room, invitee, may_delegate, issued, expires, nonce, holder=None):
    """A named invite for `invitee`, or (invitee None) a bearer invite naming `holder`'s public key."""
    private, public = issuer
    flags = (0x01 | 0x04 if invitee is None else 0) | (0x02 if may_delegate else 0)
    body = bytes([0x01, 0x01, flags]) + room_bytes(room) + public
    body += invitee[1] if invitee is not None else holder[1]
    body += struct.pack(">qq", issued, expires) + nonce
    return body + private.sign(b"ensemble-invite/1" + body), hashlib.sha256(body).digest()[:16]


def legacy_bearer(issuer, room, issued, expires, nonce):
    """A bearer invite as written before holder keys: flag bit 0 alone, no key field. Refused now."""
    private, public = issuer
    body = bytes([0x01, 0x01, 0x01]) + room_bytes(room) + public + struct.pack(">qq", issued, expires) + nonce
    return body + private.sign(b"ensemble-invite/1" + body)


def peer_proof(holder, room, presenter, receiver, nonce, invite_id):
    signed = b"ensemble-invite-proof/1 peer" + room_bytes(room) + presenter[1] + receiver[1] + nonce + invite_id
    return holder[0].sign(signed)


def join_proof(holder, room, presenter, server_nonce, invite_id):
    raw = server_nonce.encode("utf-8")
    signed = b"ensemble-invite-proof/1 join" + room_bytes(room) + presenter[1] + bytes([len(raw)]) + raw + invite_id
    return holder[0].sign(signed)


def b64url(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def chain(*invites):
    out = bytes([0x01, 0x03, len(invites)])
    for encoded in invites:
        out += struct.pack(">H", len(encoded)) + encoded
    return out


def revocation(owner, room, kind, target, issued):
    private, public = owner
    body = bytes([0x01, 0x02, kind]) + room_bytes(room) + public + target + struct.pack(">q", issued)
    return body + private.sign(b"ensemble-revocation/1" + body), hashlib.sha256(body).digest()[:16]


OWNER, BOB, CAROL, MALLORY, HOLDER = key(1), key(2), key(3), key(4), key(5)
T = 1767225600  # 2026-01-01T00:00:00Z
DAY = 86400

bob_invite, bob_id = invite(OWNER, "jam", BOB, True, T, T + DAY, bytes([0x11]) * 16)
carol_invite, carol_id = invite(BOB, "jam", CAROL, False, T, T + DAY // 2, bytes([0x22]) * 16)
bearer_invite, bearer_id = invite(OWNER, "jam", None, False, T, T + DAY, bytes([0x33]) * 16, HOLDER)
bearer_delegable, bearer_delegable_id = invite(OWNER, "jam", None, True, T, T + DAY, bytes([0x88]) * 16, HOLDER)
carol_by_holder, _ = invite(HOLDER, "jam", CAROL, False, T, T + DAY, bytes([0x99]) * 16)
carol_by_bob_after_bearer, _ = invite(BOB, "jam", CAROL, False, T, T + DAY, bytes([0xAA]) * 16)
legacy = legacy_bearer(OWNER, "jam", T, T + DAY, bytes([0x33]) * 16)
PEER_NONCE = bytes([0x66]) * 32
SERVER_NONCE = base64.b64encode(bytes([0x77]) * 32).decode()  # as a server's challenge carries it
proof_mallory_to_owner = peer_proof(HOLDER, "jam", MALLORY, OWNER, PEER_NONCE, bearer_id)
proof_wrong_key = peer_proof(MALLORY, "jam", MALLORY, OWNER, PEER_NONCE, bearer_id)
join_mallory = join_proof(HOLDER, "jam", MALLORY, SERVER_NONCE, bearer_id)
token_mallory = "ensemble-invite:" + b64url(chain(bearer_invite)) + "." + b64url(join_mallory)
no_delegate, _ = invite(OWNER, "jam", BOB, False, T, T + DAY, bytes([0x44]) * 16)
mallory_by_carol, _ = invite(CAROL, "jam", MALLORY, False, T, T + DAY, bytes([0x55]) * 16)
by_mallory, _ = invite(MALLORY, "jam", MALLORY, False, T, T + DAY, bytes([0x66]) * 16)
other_room, _ = invite(OWNER, "other", BOB, False, T, T + DAY, bytes([0x77]) * 16)
forged = bytearray(bob_invite)
forged[-1] ^= 0x01
revoke_carol, revoke_carol_id = revocation(OWNER, "jam", 0x02, CAROL[1], T + 3600)
revoke_bob_invite, _ = revocation(OWNER, "jam", 0x01, bob_id, T + 3600)
revoke_by_bob, _ = revocation(BOB, "jam", 0x02, CAROL[1], T + 3600)
revoke_other_room, _ = revocation(OWNER, "other", 0x02, CAROL[1], T + 3600)
revoke_owner, _ = revocation(OWNER, "jam", 0x02, OWNER[1], T + 3600)

# Negative cases of proof of possession and of bearer delegations (a security review asked for them):
# a proof made for one context must not stand in for another, and a delegation from a bearer invite
# is checked for its right to delegate, expiry and revocation as any other.
proof_other_invite = peer_proof(HOLDER, "jam", MALLORY, OWNER, PEER_NONCE, bearer_delegable_id)
proof_other_room = peer_proof(HOLDER, "other", MALLORY, OWNER, PEER_NONCE, bearer_id)
token_peer_proof = "ensemble-invite:" + b64url(chain(bearer_invite)) + "." + b64url(proof_mallory_to_owner)
token_other_room = "ensemble-invite:" + b64url(chain(bearer_invite)) + "." + b64url(
    join_proof(HOLDER, "other", MALLORY, SERVER_NONCE, bearer_id))
bearer_short, _ = invite(OWNER, "jam", None, True, T, T + 600, bytes([0xBB]) * 16, HOLDER)
# Carol is revoked earlier in the sequence, so these delegations from the holder key name bob.
bob_by_holder, _ = invite(HOLDER, "jam", BOB, False, T, T + DAY, bytes([0xCC]) * 16)
revoke_bearer_invite, _ = revocation(OWNER, "jam", 0x01, bearer_id, T + 3600)
revoke_holder, _ = revocation(OWNER, "jam", 0x02, HOLDER[1], T + 3600)

print("# Closed-room vectors (docs/SECURITY.md). Seeds: owner 32 x 0x01, bob 0x02, carol 0x03, mallory 0x04.")
print("# Room 'jam'; T = %d (2026-01-01T00:00:00Z). Written by make-vectors.py (Python cryptography)." % T)
print("# value NAME HEX            an encoding")
print("# admit CHAIN PRESENTER NOW EXPECT    NOW is seconds after T;    EXPECT is ok or an InviteException.Problem")
print("# revoke REVOCATION NOW EXPECT        EXPECT is new, known (a replay) or a Problem")
print("# admit-peer CHAIN PRESENTER RECEIVER NONCE PROOF NOW EXPECT   a presentation to a peer, with a proof")
print("# admit-join TOKEN PRESENTER SERVER-NONCE NOW EXPECT           a join's token at a server")
print("# Bearer invites name the holder key of seed 32 x 0x05; a proof is Ed25519 by it (docs/SECURITY.md).")
print("value owner-key", OWNER[1].hex())
print("value bob-key", BOB[1].hex())
print("value carol-key", CAROL[1].hex())
print("value invite-bob", bob_invite.hex())
print("value invite-bob-id", bob_id.hex())
print("value invite-carol-by-bob", carol_invite.hex())
print("value invite-bearer", bearer_invite.hex())
print("value invite-bearer-id", bearer_id.hex())
print("value holder-key", HOLDER[1].hex())
print("value holder-key-line", "ensemble-invite-key:" + b64url(bytes([5]) * 32))
print("value invite-legacy-bearer", legacy.hex())
print("value chain-legacy-bearer", chain(legacy).hex())
print("value chain-bearer-delegated", chain(bearer_delegable, carol_by_holder).hex())
print("value chain-bearer-delegated-by-bob", chain(bearer_delegable, carol_by_bob_after_bearer).hex())
print("value peer-nonce", PEER_NONCE.hex())
print("value other-nonce", (bytes([0x67]) * 32).hex())
print("value server-nonce", SERVER_NONCE)
print("value proof-mallory-to-owner", proof_mallory_to_owner.hex())
print("value proof-wrong-key", proof_wrong_key.hex())
print("value proof-join-mallory", join_mallory.hex())
print("value token-mallory", token_mallory)
print("value token-no-proof", "ensemble-invite:" + b64url(chain(bearer_invite)))
print("value revocation-owner", revoke_owner.hex())
print("value chain-bob", chain(bob_invite).hex())
print("value chain-carol", chain(bob_invite, carol_invite).hex())
print("value chain-bearer", chain(bearer_invite).hex())
print("value chain-bearer-text", "ensemble-invite:" + base64.urlsafe_b64encode(chain(bearer_invite)).decode().rstrip("="))
print("value revocation-carol", revoke_carol.hex())
print("value revocation-invite-bob", revoke_bob_invite.hex())
print("value chain-empty", chain().hex())
print("value chain-no-delegate", chain(no_delegate, carol_invite).hex())
print("value chain-without-root", chain(carol_invite, mallory_by_carol).hex())
print("value chain-carol-delegates", chain(bob_invite, carol_invite, mallory_by_carol).hex())
print("value chain-by-mallory", chain(by_mallory).hex())
print("value chain-other-room", chain(other_room).hex())
print("value chain-forged", chain(bytes(forged)).hex())
print("value chain-five", chain(bob_invite, bob_invite, bob_invite, bob_invite, bob_invite).hex())
print("value revocation-by-bob", revoke_by_bob.hex())
print("value revocation-other-room", revoke_other_room.hex())
print("value garbage", (b"\x01\x03\x01\x00\x40" + b"\x00" * 8).hex())
print("value chain-bearer-delegable", chain(bearer_delegable).hex())
print("value chain-bearer-undelegable-delegated", chain(bearer_invite, bob_by_holder).hex())
print("value chain-bearer-short-delegated", chain(bearer_short, bob_by_holder).hex())
print("value chain-bearer-delegated-bob", chain(bearer_delegable, bob_by_holder).hex())
print("value proof-other-invite", proof_other_invite.hex())
print("value proof-other-room", proof_other_room.hex())
print("value proof-short", proof_mallory_to_owner[:63].hex())
print("value token-peer-proof", token_peer_proof)
print("value token-other-room", token_other_room)
print("value revocation-bearer-invite", revoke_bearer_invite.hex())
print("value revocation-holder", revoke_holder.hex())
print("admit chain-empty owner 60 ok")
print("admit chain-empty bob 60 NO_INVITE")
print("admit chain-bob bob 60 ok")
print("admit chain-carol carol 60 ok")
print("admit chain-bearer mallory 60 NO_PROOF")
print("admit-peer chain-bearer mallory owner peer-nonce proof-mallory-to-owner 60 ok")
print("admit-peer chain-bearer bob owner peer-nonce proof-mallory-to-owner 60 NO_PROOF")
print("admit-peer chain-bearer mallory bob peer-nonce proof-mallory-to-owner 60 NO_PROOF")
print("admit-peer chain-bearer mallory owner other-nonce proof-mallory-to-owner 60 NO_PROOF")
print("admit-peer chain-bearer mallory owner peer-nonce proof-wrong-key 60 NO_PROOF")
print("admit-join token-mallory mallory server-nonce 60 ok")
print("admit-join token-mallory bob server-nonce 60 NO_PROOF")
print("admit-join token-mallory mallory peer-nonce 60 NO_PROOF")
print("admit-join token-no-proof mallory server-nonce 60 NO_PROOF")
print("admit chain-legacy-bearer mallory 60 UNBOUND_BEARER")
print("admit chain-bearer-delegated carol 60 ok")
print("admit chain-bearer-delegated-by-bob carol 60 BROKEN_CHAIN")
print("admit chain-carol mallory 60 NOT_THE_INVITEE")
print("admit chain-no-delegate carol 60 DELEGATION_NOT_ALLOWED")
print("admit chain-without-root mallory 60 NOT_FROM_OWNER")
print("admit chain-carol-delegates mallory 60 DELEGATION_NOT_ALLOWED")
print("admit chain-by-mallory mallory 60 NOT_FROM_OWNER")
print("admit chain-other-room bob 60 WRONG_ROOM")
print("admit chain-forged bob 60 FORGED")
print("admit chain-carol carol %d EXPIRED" % (DAY // 2 + 600))
print("admit chain-bob bob -3600 NOT_YET_VALID")
print("admit chain-five bob 60 TOO_LARGE")
print("admit garbage bob 60 MALFORMED")
print("revoke revocation-by-bob 7200 NOT_FROM_OWNER")
print("revoke revocation-other-room 7200 WRONG_ROOM")
print("revoke revocation-carol 60 NOT_YET_VALID")
print("revoke revocation-owner 7200 OWNER_NOT_REVOCABLE")
print("revoke revocation-carol 7200 new")
print("revoke revocation-carol 7200 known")
print("admit chain-carol carol 7200 REVOKED")
print("admit chain-bob bob 7200 ok")
print("revoke revocation-invite-bob 7200 new")
print("admit chain-bob bob 7200 REVOKED")
print("admit-peer chain-bearer mallory owner peer-nonce proof-mallory-to-owner 7200 ok")
# A proof for a peer does not stand in at a join, nor a join's at a peer (the labels differ).
print("admit-peer chain-bearer mallory owner peer-nonce proof-join-mallory 7200 NO_PROOF")
print("admit-join token-peer-proof mallory server-nonce 7200 NO_PROOF")
# A proof names the invite and the room: another invite of the same holder key, or another room, fails.
print("admit-peer chain-bearer-delegable mallory owner peer-nonce proof-other-invite 7200 ok")
print("admit-peer chain-bearer mallory owner peer-nonce proof-other-invite 7200 NO_PROOF")
print("admit-peer chain-bearer mallory owner peer-nonce proof-other-room 7200 NO_PROOF")
print("admit-join token-other-room mallory server-nonce 7200 NO_PROOF")
print("admit-peer chain-bearer mallory owner peer-nonce proof-short 7200 NO_PROOF")
# Delegations from a bearer invite: its right to delegate, its expiry and revocations all count.
print("admit chain-bearer-undelegable-delegated bob 7200 DELEGATION_NOT_ALLOWED")
print("admit chain-bearer-short-delegated bob 60 ok")
print("admit chain-bearer-short-delegated bob 7200 EXPIRED")
print("revoke revocation-bearer-invite 7200 new")
print("admit-peer chain-bearer mallory owner peer-nonce proof-mallory-to-owner 7200 REVOKED")
print("admit-join token-mallory mallory server-nonce 7200 REVOKED")
print("admit chain-bearer-delegated-bob bob 7200 ok")
print("revoke revocation-holder 7200 new")
print("admit chain-bearer-delegated-bob bob 7200 REVOKED")
print("admit-peer chain-bearer-delegable mallory owner peer-nonce proof-other-invite 7200 REVOKED")
