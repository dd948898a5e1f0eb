"""EPAS 0.5.0 facts and the catalogue of content, devices and renditions the players play."""

import json
import time

EVENT_TYPES = (
    "init",
    "metadata",
    "heartbeat",
    "loading",
    "loaded",
    "playing",
    "paused",
    "buffering",
    "buffered",
    "seeking",
    "seeked",
    "bitrate_changed",
    "error",
    "warning",
    "stopped",
)

CONTENT = [
    # (title, id, url, drmType, live, duration ms or -1 for live)
    ("Big Buck Bunny", "bbb-001", "https://cdn.example.com/vod/bbb/master.m3u8", "none", False, 596_000),
    ("Sintel", "sintel-002", "https://cdn.example.com/vod/sintel/manifest.mpd", "widevine", False, 888_000),
    ("Tears of Steel", "tos-003", "https://cdn.example.com/vod/tos/master.m3u8", "fairplay", False, 734_000),
    ("Elephants Dream", "ed-004", "https://cdn.example.com/vod/ed/manifest.mpd", "playready", False, 654_000),
    ("News 24/7", "live-news", "https://live.example.com/news/master.m3u8", "none", True, -1),
    ("Sports Channel", "live-sports", "https://live.example.com/sports/manifest.mpd", "widevine", True, -1),
]
DEVICES = [
    # (deviceType, deviceModel)
    ("desktop", "Chrome 120 / macOS"),
    ("desktop", "Firefox 121 / Windows"),
    ("mobile", "iPhone 15"),
    ("mobile", "Pixel 8"),
    ("tv", "Samsung Tizen 2023"),
    ("tv", "Apple TV 4K"),
]
BITRATE_LADDER = [
    # (total kbps, width, height, video kbps, audio kbps)
    (600, 640, 360, 472, 128),
    (1200, 842, 480, 1072, 128),
    (2500, 1280, 720, 2372, 128),
    (5000, 1920, 1080, 4808, 192),
    (8000, 2560, 1440, 7808, 192),
]
ERRORS = [
    ("NETWORK", "404", "Segment not found"),
    ("NETWORK", "503", "Origin unavailable"),
    ("DRM", "DRM_LICENSE_EXPIRED", "License request failed"),
    ("MEDIA", "MEDIA_ERR_DECODE", "Decoder error"),
]
WARNINGS = [
    ("NETWORK", "SLOW_SEGMENT", "Segment download took longer than its duration"),
    ("PLAYER", "GAP_JUMP", "Jumped over a gap in the buffer"),
    ("ABR", "BANDWIDTH_DROP", "Estimated bandwidth dropped"),
]
STOP_REASONS = ["ended", "aborted", "error", "aborted", "ended"]


def now_ms():
    return int(time.time() * 1000)


def dumps(obj):
    """Compact JSON, as players send it."""
    return json.dumps(obj, separators=(",", ":"))
