#!/usr/bin/env bash
# Regenerates the test stream in this folder: 4 s of ffmpeg's test pattern, 128x72 H.264 (baseline) at
# 10 fps, no audio, as DASH (one representation, 1 s segments, SegmentTemplate). Needs ffmpeg (Debian's
# package has libx264); the files are committed, so the tests do not need it.
set -euo pipefail
cd "$(dirname "$0")"
rm -f stream.mpd init.mp4 seg-*.m4s
ffmpeg -hide_banner -loglevel error -f lavfi -i testsrc=size=128x72:rate=10 -t 4 \
    -c:v libx264 -profile:v baseline -pix_fmt yuv420p -g 10 -keyint_min 10 -sc_threshold 0 -bf 0 -b:v 40k \
    -an -map_metadata -1 -fflags +bitexact -flags:v +bitexact \
    -f dash -seg_duration 1 -use_template 1 -use_timeline 0 \
    -init_seg_name init.mp4 -media_seg_name 'seg-$Number$.m4s' stream.mpd
# ffmpeg writes an empty ProgramInformation and ServiceDescription: keep the manifest minimal
sed -i '/<ProgramInformation>/,/<\/ProgramInformation>/d; /<ServiceDescription/,/<\/ServiceDescription>/d' stream.mpd
ls -l
