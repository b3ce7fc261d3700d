#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Writes zcap_kat.pcap: known-answer datagrams for zcap_selftest.sh.

An implementation of include/zeq_constants.h ("Wire format") apart from
tests/progs/wire.c (python3-cryptography), so that the self-test does not
only check zcap's opening against zcap's own sealing. Keys as in
zcap_selftest.sh; prefix 4-24, data types 1000-900000, junk types 5-999,
header protection on. Big-endian pcap with microsecond timestamps (zcap
synth writes little-endian, nanoseconds), raw IP, 10.0.0.1:40000 ->
10.0.0.2:51820. Expected by the self-test ("zcap label"):
    junk 0 0 / data 20 5 / cover 0 10 / keepalive 0 0 / bad 0 0 (a flipped
    ciphertext bit) / bad 0 0 (reserved trailer byte 1) / bad 0 0 (padding
    length past the plaintext)
Run: python3 zcap_kat.py (in this directory).
"""
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY = bytes.fromhex("3a1f0c8e5d2b47a9968e0f1d2c3b4a59"
                    "687766554433221100ffeeddccbbaa99")     # tx-key
SALT = bytes.fromhex("5e1a2b3c")                          # tx-salt
HP = bytes.fromhex("9b8a7968574635241302f1e0d0c0b0a0"
                   "90807060504030201000fedcba987654")
PREFIX_LO, PREFIX_HI = 4, 24


def prefix_len(b):
    lo = max(PREFIX_LO, 1)
    return lo + b % (PREFIX_HI - lo + 1)


def mask(hdr, sample):
    enc = Cipher(algorithms.AES(HP), modes.ECB()).encryptor()
    m = enc.update(sample) + enc.finalize()
    return bytes(a ^ b for a, b in zip(hdr, m))


def seal(b0, typ, key_id, counter, inner_type, inner, pad, reserved=0,
         pad_field=None):
    prefix = bytes([b0]) + bytes((i * 7 + 3) & 255
                                 for i in range(prefix_len(b0) - 1))
    hdr = struct.pack(">IIQ", typ, key_id, counter)
    plain = (inner + bytes(pad) + bytes([inner_type, reserved]) +
             struct.pack(">H", pad if pad_field is None else pad_field))
    sealed = AESGCM(KEY).encrypt(SALT + hdr[8:], plain, hdr)
    return prefix + mask(hdr, sealed[:16]) + sealed


def junk(b0, typ, n):
    p = bytearray([b0]) + bytes((i * 13 + 5) & 255 for i in range(n - 1))
    at = prefix_len(b0)
    p[at:at + 4] = struct.pack(">I", typ)
    p[at:at + 16] = mask(p[at:at + 16], bytes(p[at + 16:at + 32]))
    return bytes(p)


def flipped(p):
    return p[:-20] + bytes([p[-20] ^ 1]) + p[-19:]


datagrams = [
    junk(0x2a, 77, 70),
    seal(0x11, 1234, 0x01020304, 7, 0, bytes(range(20)), 5),
    seal(0x05, 900000, 0x01020304, 8, 1, b"", 10),
    seal(0xff, 1000, 0x01020304, 9, 0, b"", 0),
    flipped(seal(0x11, 1234, 0x01020304, 10, 0, bytes(range(20)), 5)),
    seal(0x12, 1234, 0x01020304, 11, 0, bytes(range(20)), 5, reserved=1),
    seal(0x13, 1234, 0x01020304, 12, 0, bytes(range(20)), 5, pad_field=26),
]
out = struct.pack(">IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101)
for i, p in enumerate(datagrams):
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 28 + len(p), 0, 0, 64, 17, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    udp = struct.pack(">HHHH", 40000, 51820, 8 + len(p), 0)
    rec = ip + udp + p
    out += struct.pack(">IIII", 1700000000 + i, 123456, len(rec), len(rec)) + rec
with open("zcap_kat.pcap", "wb") as f:
    f.write(out)
