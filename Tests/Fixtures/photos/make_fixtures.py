#!/usr/bin/env python3
"""Generate the photo test fixtures in this directory.

Usage:  python3 make_fixtures.py          (run from anywhere)
Needs:  Pillow and pillow-heif  (pip install pillow pillow-heif)

Everything is derived from fixed seeds, so re-running produces the same
pictures (JPEG/PNG/WebP/ZIP/PDF output is byte-identical for the same library
versions; the HEIC encoder may differ in a few bytes between versions).

At the end the script prints a 64-bit dHash distance matrix of the decodable
image fixtures (after applying EXIF orientation) and checks that distinct
contents are >= 20 bits apart and the near-duplicate pair is <= 6 bits apart.
"""

import io
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib

from PIL import ExifTags, Image, ImageDraw, ImageOps
from PIL.TiffImagePlugin import IFDRational

try:
    import pillow_heif

    pillow_heif.register_heif_opener()
    HAVE_HEIF = True
except ImportError:  # pragma: no cover
    HAVE_HEIF = False

OUT = os.path.dirname(os.path.abspath(__file__))

# Minimum dHash distance the content generator aims for between contents
# (stricter than the required 20 so JPEG/WebP/HEIC re-encoding cannot pull a
# pair under the limit).
SEARCH_MIN_DISTANCE = 24
REQUIRED_MIN_DISTANCE = 20
NEAR_DUP_MAX_DISTANCE = 6


# --------------------------------------------------------------------------
# dHash
# --------------------------------------------------------------------------

def dhash(img):
    """64-bit difference hash: grayscale, 9x8 LANCZOS, bit = left > right."""
    g = img.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    px = g.tobytes()  # 72 bytes, row-major
    bits = 0
    for row in range(8):
        for col in range(8):
            left = px[row * 9 + col]
            right = px[row * 9 + col + 1]
            bits = (bits << 1) | (1 if left > right else 0)
    return bits


def hamming(a, b):
    return bin(a ^ b).count("1")


# --------------------------------------------------------------------------
# Synthetic content
# --------------------------------------------------------------------------

def _rand_color(rng):
    return (rng.randrange(256), rng.randrange(256), rng.randrange(256))


def draw_content(seed, w, h):
    """A distinct synthetic picture: gradient + random rectangles/ellipses."""
    rng = random.Random(seed)
    img = Image.new("RGB", (w, h))
    # Background: linear gradient between two random colours, random direction.
    c0, c1 = _rand_color(rng), _rand_color(rng)
    horizontal = rng.random() < 0.5
    grad = Image.linear_gradient("L")  # 256x256, top->bottom black->white
    if horizontal:
        grad = grad.rotate(90 if rng.random() < 0.5 else -90)
    elif rng.random() < 0.5:
        grad = grad.rotate(180)
    grad = grad.resize((w, h))
    img = Image.composite(Image.new("RGB", (w, h), c1), Image.new("RGB", (w, h), c0), grad)
    d = ImageDraw.Draw(img)
    # Large shapes dominate the coarse (9x8) structure that dHash sees.
    for _ in range(rng.randint(7, 11)):
        x0, y0 = rng.randrange(-w // 4, w), rng.randrange(-h // 4, h)
        x1 = x0 + rng.randrange(w // 6, w // 2)
        y1 = y0 + rng.randrange(h // 6, h // 2)
        shade = rng.choice([rng.randrange(0, 70), rng.randrange(185, 256)])
        col = tuple(max(0, min(255, shade + rng.randrange(-60, 61))) for _ in range(3))
        if rng.random() < 0.5:
            d.rectangle([x0, y0, x1, y1], fill=col)
        else:
            d.ellipse([x0, y0, x1, y1], fill=col)
    # Small detail shapes.
    for _ in range(rng.randint(10, 18)):
        x0, y0 = rng.randrange(w), rng.randrange(h)
        x1 = x0 + rng.randrange(w // 40 + 2, w // 10)
        y1 = y0 + rng.randrange(h // 40 + 2, h // 10)
        if rng.random() < 0.5:
            d.rectangle([x0, y0, x1, y1], fill=_rand_color(rng))
        else:
            d.ellipse([x0, y0, x1, y1], fill=_rand_color(rng))
    return img


# letter -> (width, height, display transform) ; F is stored landscape and
# displayed after an EXIF orientation 6 rotation, so it is hashed that way.
CONTENT_SPECS = {
    "A": (640, 480, None),
    "B": (640, 480, None),
    "C": (640, 480, None),
    "D": (640, 480, None),
    "E": (640, 480, None),
    "F": (400, 200, Image.Transpose.ROTATE_270),
    "G": (320, 240, None),
    "H": (320, 240, None),
    "I": (320, 240, None),
    "J": (160, 120, None),
    "K": (640, 480, None),
    "L": (640, 480, None),
}


def make_contents():
    """Pick a seed per content deterministically so that every pair of
    contents is at least SEARCH_MIN_DISTANCE dHash bits apart."""
    contents, hashes = {}, {}
    for idx, (letter, (w, h, transform)) in enumerate(CONTENT_SPECS.items()):
        seed = 1000 + idx * 101
        while True:
            img = draw_content(seed, w, h)
            shown = img.transpose(transform) if transform is not None else img
            hsh = dhash(shown)
            if all(hamming(hsh, o) >= SEARCH_MIN_DISTANCE for o in hashes.values()):
                break
            seed += 7919
        contents[letter] = img
        hashes[letter] = hsh
    return contents


# --------------------------------------------------------------------------
# EXIF
# --------------------------------------------------------------------------

def _dms(value):
    """Decimal degrees -> (deg, min, sec) rationals (seconds to 1/10000)."""
    v = abs(value)
    deg = int(v)
    rem = (v - deg) * 60
    minutes = int(rem)
    seconds = round((rem - minutes) * 60 * 10000)
    return (IFDRational(deg, 1), IFDRational(minutes, 1), IFDRational(seconds, 10000))


def make_exif(dto=None, lat=None, lng=None, orientation=None,
              make=None, model=None, serial=None):
    exif = Image.Exif()
    if make is not None:
        exif[0x010F] = make
    if model is not None:
        exif[0x0110] = model
    if orientation is not None:
        exif[0x0112] = orientation
    sub = {}
    if dto is not None:
        sub[0x9003] = dto  # DateTimeOriginal
    if serial is not None:
        sub[0xA431] = serial  # BodySerialNumber
    if sub:
        exif[ExifTags.IFD.Exif] = sub
    if lat is not None and lng is not None:
        exif[ExifTags.IFD.GPSInfo] = {
            1: "S" if lat < 0 else "N",  # GPSLatitudeRef
            2: _dms(lat),                # GPSLatitude
            3: "W" if lng < 0 else "E",  # GPSLongitudeRef
            4: _dms(lng),                # GPSLongitude
        }
    return exif


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------

def path(name):
    return os.path.join(OUT, name)


def save_jpeg(img, name, exif=None, quality=80):
    kw = {"quality": quality, "optimize": True, "progressive": False}
    if exif is not None:
        kw["exif"] = exif.tobytes()
    img.save(path(name), "JPEG", **kw)


def jpeg_bytes(img, quality=80, **kw):
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, progressive=False, **kw)
    return buf.getvalue()


def png_chunk(ctype, data):
    return (struct.pack(">I", len(data)) + ctype + data
            + struct.pack(">I", zlib.crc32(ctype + data) & 0xFFFFFFFF))


def make_bomb_png():
    ihdr = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)  # 8-bit RGB
    # First scanline only (filter byte + a few pixels); stream ends early.
    idat = zlib.compress(b"\x00" + b"\x00" * 30, 9)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
            + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b""))


def patch_sof0(data, width, height):
    """Walk JPEG marker segments, rewrite SOF0 height/width."""
    b = bytearray(data)
    assert b[0:2] == b"\xff\xd8"
    i = 2
    while i < len(b):
        assert b[i] == 0xFF, "lost marker sync at %d" % i
        marker = b[i + 1]
        seglen = struct.unpack(">H", b[i + 2:i + 4])[0]
        if marker == 0xC0:
            # FFC0 len(2) precision(1) height(2) width(2)
            struct.pack_into(">HH", b, i + 5, height, width)
            return bytes(b)
        if marker == 0xDA:
            break
        i += 2 + seglen
    raise ValueError("no SOF0 marker found")


def make_pdf():
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] "
        b"/Contents 4 0 R /Resources << >> >>",
    ]
    stream = b"0 0 1 rg 50 50 100 100 re f\n"
    objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objs) + 1)
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, xref)
    return bytes(out)


def make_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo("notes.txt", date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        zf.writestr(info, "This is a ZIP archive, not a photo.\n")
    return buf.getvalue()


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

DTO_SUBMIT = "2026:11:20 09:15:00"
DTO_AFTER = "2026:11:25 10:00:00"


def main():
    c = make_contents()

    # 1. metro_gps.jpg
    save_jpeg(c["A"], "metro_gps.jpg", make_exif(
        dto=DTO_SUBMIT, lat=-5.1131, lng=105.3067,
        make="Samsung", model="SM-A155F", serial="R58W12345"))
    # 2. near-duplicate of #1: resized, lower quality, no EXIF
    save_jpeg(c["A"].resize((600, 450), Image.Resampling.LANCZOS),
              "metro_gps_recompressed.jpg", quality=60)
    # 3-5. "after" photos
    save_jpeg(c["B"], "after_near.jpg", make_exif(dto=DTO_AFTER, lat=-5.1135, lng=105.3067))
    save_jpeg(c["C"], "after_far.jpg", make_exif(dto=DTO_AFTER, lat=-5.1221, lng=105.3067))
    save_jpeg(c["D"], "after_old.jpg",
              make_exif(dto="2020:01:05 08:00:00", lat=-5.1132, lng=105.3067))
    # 6. no EXIF
    save_jpeg(c["E"], "after_bare.jpg")
    # 7. stored 400x200, orientation 6 -> displayed 200x400
    save_jpeg(c["F"], "rotated.jpg", make_exif(dto=DTO_SUBMIT, orientation=6))
    # 8. PNG, no metadata
    c["G"].save(path("photo.png"), "PNG", optimize=True)
    # 9. WebP lossy
    c["H"].save(path("photo.webp"), "WEBP", quality=80, method=6)
    # 10. HEIC with EXIF
    if HAVE_HEIF:
        heic_exif = make_exif(dto=DTO_SUBMIT, lat=-5.4292, lng=105.2610)
        c["I"].save(path("photo.heic"), "HEIF", quality=80, exif=heic_exif.tobytes())
    else:
        print("WARNING: pillow-heif missing, photo.heic not written", file=sys.stderr)
    # 11. PNG bytes under a .jpg name
    c["J"].save(path("png_named.jpg"), "PNG", optimize=True)
    # 12. truncated JPEG (55% of bytes; no EOI, scan incomplete)
    full = jpeg_bytes(c["K"], quality=80, optimize=True)
    cut = full[: int(len(full) * 0.55)]
    assert not cut.endswith(b"\xff\xd9")
    with open(path("truncated.jpg"), "wb") as f:
        f.write(cut)
    # 13. ZIP named .jpg
    with open(path("archive.jpg"), "wb") as f:
        f.write(make_zip())
    # 14. PDF named .jpg
    with open(path("document.jpg"), "wb") as f:
        f.write(make_pdf())
    # 15. decompression-bomb PNG header
    with open(path("bomb.png"), "wb") as f:
        f.write(make_bomb_png())
    # 16. baseline JPEG with SOF0 claiming 30000x30000
    small = Image.new("RGB", (16, 16), (200, 40, 40))
    with open(path("bomb.jpg"), "wb") as f:
        f.write(patch_sof0(jpeg_bytes(small, quality=80), 30000, 30000))
    # 17. outside Lampung (Jakarta)
    save_jpeg(c["L"], "outside_gps.jpg",
              make_exif(dto=DTO_SUBMIT, lat=-6.2000, lng=106.8166))

    report(c)


def print_matrix(hashes):
    print(" " * 33 + " ".join("%3d" % i for i in range(len(hashes))))
    for i, (label, letter, hi) in enumerate(hashes):
        row = " ".join("%3d" % hamming(hi, hj) for (_, _, hj) in hashes)
        print("%2d %-27s %s %s" % (i, label, letter, row))


def vips_dhashes(files):
    """Optional: dHash via the vips CLI, if installed. Returns [] otherwise."""
    vips = shutil.which("vips")
    if vips is None:
        return []
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        t, g, b, c, csv = (os.path.join(tmp, n) for n in ("t.v", "g.v", "b.v", "c.v", "c.csv"))
        for name, letter in files:
            steps = [
                [vips, "thumbnail", path(name), t, "9", "--height", "8", "--size", "force"],
                [vips, "colourspace", t, g, "b-w"],
                [vips, "extract_band", g, b, "0"],
                [vips, "cast", b, c, "uchar"],
                [vips, "csvsave", c, csv],
            ]
            try:
                for cmd in steps:
                    subprocess.run(cmd, check=True, capture_output=True)
            except subprocess.CalledProcessError:
                print("vips could not hash %s; skipping it" % name)
                continue
            with open(csv) as f:
                rows = [[int(v) for v in line.split()] for line in f if line.strip()]
            bits = 0
            for r in rows:
                for col in range(8):
                    bits = (bits << 1) | (1 if r[col] > r[col + 1] else 0)
            out.append((name, letter, bits))
    return out


def report(contents):
    # Hash the files as a decoder would show them (EXIF orientation applied).
    files = [
        ("metro_gps.jpg", "A"), ("metro_gps_recompressed.jpg", "A"),
        ("after_near.jpg", "B"), ("after_far.jpg", "C"), ("after_old.jpg", "D"),
        ("after_bare.jpg", "E"), ("rotated.jpg", "F"), ("photo.png", "G"),
        ("photo.webp", "H"), ("photo.heic", "I"), ("png_named.jpg", "J"),
        ("truncated.jpg", "K"), ("outside_gps.jpg", "L"),
    ]
    hashes = []
    for name, letter in files:
        if name == "truncated.jpg":
            # Undecodable on purpose; hash the pristine content instead.
            img = contents[letter]
            label = name + "*"
        elif not os.path.exists(path(name)):
            continue
        else:
            img = ImageOps.exif_transpose(Image.open(path(name)))
            label = name
        hashes.append((label, letter, dhash(img)))

    print("dHash (64-bit) Hamming distances; * = hashed from source content")
    print_matrix(hashes)

    ok = True
    min_distinct, max_dup = 64, 0
    for i in range(len(hashes)):
        for j in range(i + 1, len(hashes)):
            d = hamming(hashes[i][2], hashes[j][2])
            if hashes[i][1] == hashes[j][1]:
                max_dup = max(max_dup, d)
                if d > NEAR_DUP_MAX_DISTANCE:
                    ok = False
                    print("FAIL near-dup %s/%s distance %d" % (hashes[i][0], hashes[j][0], d))
            else:
                min_distinct = min(min_distinct, d)
                if d < REQUIRED_MIN_DISTANCE:
                    ok = False
                    print("FAIL distinct %s/%s distance %d" % (hashes[i][0], hashes[j][0], d))
    print("min distance between distinct contents: %d (required >= %d)"
          % (min_distinct, REQUIRED_MIN_DISTANCE))
    print("near-duplicate distance: %d (required <= %d)" % (max_dup, NEAR_DUP_MAX_DISTANCE))

    vips_hashes = vips_dhashes([(l, c) for (l, c, _) in hashes if not l.endswith("*")])
    if vips_hashes:
        print()
        print("Cross-check with the vips CLI (thumbnail --size force 9x8, b-w, uchar),")
        print("the same pipeline as Sources/CVips/shim.h aduan_vips_grey_exact:")
        print_matrix(vips_hashes)
        vmin = min(hamming(a[2], b[2]) for i, a in enumerate(vips_hashes)
                   for b in vips_hashes[i + 1:] if a[1] != b[1])
        vdup = max([hamming(a[2], b[2]) for i, a in enumerate(vips_hashes)
                    for b in vips_hashes[i + 1:] if a[1] == b[1]] or [0])
        print("vips: min distinct distance %d, near-duplicate distance %d" % (vmin, vdup))
        if vmin < REQUIRED_MIN_DISTANCE or vdup > NEAR_DUP_MAX_DISTANCE:
            ok = False
            print("FAIL vips cross-check")

    total = 0
    for name in sorted(os.listdir(OUT)):
        if name in ("make_fixtures.py", "README.md"):
            continue
        total += os.path.getsize(path(name))
    print("total fixture bytes: %d" % total)
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
