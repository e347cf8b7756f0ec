#!/usr/bin/env python3
"""Compares toks load's journal with a loopback packet capture of the same run (scripts/wire-check.sh).

Per request: TTFT from the due time (the journal's schedule, mapped to wall time), TTFT from the
actual send (request packet -> packet that ends the first text event), and the gaps between text
events (ITL), each from the wire and from the journal. The wire is the truth: a packet's kernel
timestamp is when it crossed the loopback, before either program's scheduling could delay it.
Usage: wire-check.py CAPTURE.pcap JOURNAL.jsonl
"""
import json
import re
import struct
import sys
from collections import defaultdict

REQUEST_ID = re.compile(rb"X-Request-Id: (\S+)\r\n")
# load-capacity --serve writes each event's text as its own write time (" @<nanoTime>"): an event is
# found on the wire by that stamp, and the journal's i-th chunk carries its i-th stamp.
TEXT_EVENT = re.compile(rb'data: \{"choices":\[\{"index":0,"delta":\{"content":" @(\d+)"')


def packets(path):
    """(time ns since epoch, src port, dst port, payload) of each TCP packet with a payload."""
    with open(path, "rb") as f:
        head = f.read(24)
        magic = struct.unpack("<I", head[:4])[0]
        scale = {0xA1B2C3D4: 1000, 0xA1B23C4D: 1}[magic]
        link = struct.unpack("<I", head[20:24])[0]
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            sec, frac, incl, _ = struct.unpack("<IIII", rec)
            data = f.read(incl)
            off = 14 if link == 1 else 16 if link == 113 else 4 if link == 0 else None
            ip = data[off:]
            if not ip or ip[0] >> 4 != 4 or ip[9] != 6:
                continue
            ihl = (ip[0] & 15) * 4
            total = struct.unpack(">H", ip[2:4])[0]
            tcp = ip[ihl:total]
            sport, dport = struct.unpack(">HH", tcp[:4])
            payload = tcp[(tcp[12] >> 4) * 4:]
            if payload:
                yield sec * 1_000_000_000 + frac * scale, sport, dport, payload


def wire(path, server_port):
    """Request id -> time its request crossed; event stamp -> time the packet ending that event crossed."""
    streams = defaultdict(lambda: {"up": bytearray(), "up_t": [], "down": bytearray(), "down_t": []})
    for t, sport, dport, payload in packets(path):
        if dport == server_port:
            s = streams[sport]
            s["up"] += payload
            s["up_t"].append((len(s["up"]), t))
        elif sport == server_port:
            s = streams[dport]
            s["down"] += payload
            s["down_t"].append((len(s["down"]), t))

    def time_at(marks, offset):  # the packet that carried byte `offset`
        for end, t in marks:
            if end > offset:
                return t
        return None

    sent, events = {}, {}
    for s in streams.values():
        for m in REQUEST_ID.finditer(s["up"]):
            body_end = s["up"].find(b"}", m.end())  # the JSON body follows the head
            sent[m.group(1).decode()] = time_at(s["up_t"], max(body_end, m.end()))
        for m in TEXT_EVENT.finditer(s["down"]):
            end = s["down"].find(b"\n\n", m.end())
            events[m.group(1).decode()] = time_at(s["down_t"], end + 1)
    return sent, events


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(p / 100 * len(v)))] if v else float("nan")


def main(pcap, journal):
    rows = [json.loads(line) for line in open(journal) if line.strip()]
    start = next(r for r in rows if r["type"] == "level_start")
    to_epoch = start["start_epoch_ns"] - start["start_ns"]
    port = int(re.search(r":(\d+)/", open(journal.replace(".jsonl", ".url")).read()).group(1))
    wire_sent, wire_events = wire(pcap, port)
    ttft_t, ttft_w, sent_t, sent_w, itl_t, itl_w, d_ttft, d_sent, d_itl = ([] for _ in range(9))
    missing = 0
    for r in rows:
        if r["type"] != "request" or r.get("error") or not r["chunk_ns"]:
            continue
        stamps = re.findall(r"@(\d+)", r["text"])
        if r["id"] not in wire_sent or len(stamps) != len(r["chunk_ns"]) or any(x not in wire_events for x in stamps):
            missing += 1
            continue
        sent, events = wire_sent[r["id"]], [wire_events[x] for x in stamps]
        due = r["scheduled_ns"] + to_epoch
        ttft_t.append((r["chunk_ns"][0] - r["scheduled_ns"]) / 1e6)
        ttft_w.append((events[0] - due) / 1e6)
        d_ttft.append(ttft_t[-1] - ttft_w[-1])
        sent_t.append((r["chunk_ns"][0] - r["sent_ns"]) / 1e6)
        sent_w.append((events[0] - sent) / 1e6)
        d_sent.append(sent_t[-1] - sent_w[-1])
        for i in range(1, len(events)):
            itl_t.append((r["chunk_ns"][i] - r["chunk_ns"][i - 1]) / 1e6)
            itl_w.append((events[i] - events[i - 1]) / 1e6)
            d_itl.append(itl_t[-1] - itl_w[-1])
    print(f"{start['level']}: {len(ttft_t)} requests matched on the wire ({missing} not)")
    for name, t, w, d in (("ttft", ttft_t, ttft_w, d_ttft), ("ttft_from_send", sent_t, sent_w, d_sent), ("itl", itl_t, itl_w, d_itl)):
        print(f"  {name:15s} toks p50 {pct(t, 50):8.3f} p99 {pct(t, 99):8.3f} | wire p50 {pct(w, 50):8.3f} p99 {pct(w, 99):8.3f} ms"
              f" | toks - wire per sample: p50 {pct(d, 50):+.3f} p99 {pct(d, 99):+.3f} max {max(d):+.3f} ms")
    # Each sample against its own packet: the client's timestamps are late by what its scheduling
    # (and the host's other load) delayed the reads. The body (p50 of the reported figures and of
    # the per-sample differences) and the tail (p99) get a verdict each; both must hold.
    body = max(max(abs(pct(t, 50) - pct(w, 50)), abs(pct(d, 50))) for t, w, d in
               ((ttft_t, ttft_w, d_ttft), (sent_t, sent_w, d_sent), (itl_t, itl_w, d_itl)))
    tail = max(max(abs(pct(t, 99) - pct(w, 99)), abs(pct(d, 99))) for t, w, d in
               ((ttft_t, ttft_w, d_ttft), (sent_t, sent_w, d_sent), (itl_t, itl_w, d_itl)))
    print(f"  p50: {'PASS' if body < 1 else 'FAIL'} (within {body:.3f} ms of the wire); "
          f"p99: {'PASS' if tail < 1 else 'FAIL'} (within {tail:.3f} ms); limit 1 ms")
    return body < 1 and tail < 1 and missing == 0

if __name__ == "__main__":
    sys.exit(0 if main(sys.argv[1], sys.argv[2]) else 1)
