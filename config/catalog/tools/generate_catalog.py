#!/usr/bin/env python3
"""Generate config/catalog/lampung/catalog.json from regions.csv.

Usage (from anywhere):  python3 config/catalog/tools/generate_catalog.py

The output is deterministic: OPDs, categories and rules are written in a fixed
order, 2-space indent, one OPD / rule object per line. Re-running the script on
an unchanged regions.csv yields a byte-identical file. See ../lampung/SOURCES.md.
"""

import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOG_DIR = os.path.normpath(os.path.join(HERE, "..", "lampung"))
REGIONS_CSV = os.path.join(CATALOG_DIR, "regions.csv")
OUTPUT = os.path.join(CATALOG_DIR, "catalog.json")

PROVINCE = "18"
TIME_ZONE = "Asia/Jakarta"
WORKING_DAY_CLOSE = "16:00"

# Provincial OPDs (region "18"). SETDA-18 is the root; all others report to it.
PROVINCIAL_OPDS = [
    ("SETDA", "Sekretariat Daerah"),
    ("DISKOMINFOTIK", "Dinas Komunikasi, Informatika dan Statistik"),
    ("BMBK", "Dinas Bina Marga dan Bina Konstruksi"),
    ("DISDIKBUD", "Dinas Pendidikan dan Kebudayaan"),
    ("BAPENDA", "Badan Pendapatan Daerah"),
    ("INSPEKTORAT", "Inspektorat"),
    ("DINKES", "Dinas Kesehatan"),
    ("DISHUB", "Dinas Perhubungan"),
    ("DLH", "Dinas Lingkungan Hidup"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah"),
    ("SATPOLPP", "Satuan Polisi Pamong Praja"),
    ("DINSOS", "Dinas Sosial"),
]

# OPDs of every kabupaten/kota. SETDA-xxxx reports to SETDA-18; the others to SETDA-xxxx.
KABKOTA_OPDS = [
    ("SETDA", "Sekretariat Daerah"),
    ("PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"),
    ("DLH", "Dinas Lingkungan Hidup"),
    ("DISHUB", "Dinas Perhubungan"),
    ("DINKES", "Dinas Kesehatan"),
    ("DISDIK", "Dinas Pendidikan dan Kebudayaan"),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("SATPOLPP", "Satuan Polisi Pamong Praja"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah"),
    ("DINSOS", "Dinas Sosial"),
]


def wd(n):
    return {"working_days": n}


def hours(n):
    return {"hours": n}


# (code, name_id, name_en, default_visibility, photo_required, response, resolution)
# Every category is private by default, as in JAKI (BRIEF: Privacy); a citizen may choose public.
# SLA references: JAKI coordinates within 6 hours and completes within 7 days;
# LAPOR! expects a first response within 5 working days; Perpres 76/2013 allows
# 60 (calendar) days to complete. Every target below stays inside those bounds.
CATEGORIES = [
    ("jalan_rusak", "Jalan rusak", "Damaged road", "private", True, wd(1), wd(10)),
    ("drainase", "Drainase/saluran air tersumbat", "Blocked drain or gutter", "private", False, wd(2), wd(10)),
    ("sampah", "Sampah menumpuk", "Uncollected rubbish", "private", False, wd(1), wd(3)),
    ("pohon_tumbang", "Pohon tumbang", "Fallen tree", "private", False, hours(6), hours(24)),
    ("banjir", "Banjir", "Flooding", "private", False, hours(6), hours(72)),
    ("bencana_alam", "Bencana alam", "Natural disaster", "private", False, hours(6), hours(168)),
    ("lampu_jalan", "Lampu jalan mati", "Broken street light", "private", False, wd(2), wd(7)),
    ("parkir_liar", "Parkir liar", "Illegal parking", "private", False, wd(1), wd(3)),
    ("layanan_kesehatan", "Layanan kesehatan", "Health services", "private", False, wd(1), wd(7)),
    ("sekolah_sd_smp", "Sekolah (SD/SMP)", "Schools (primary and junior secondary)", "private", False, wd(3), wd(14)),
    ("sekolah_sma_smk", "Sekolah (SMA/SMK/SLB)", "Schools (senior secondary, vocational and special)", "private", False, wd(3), wd(14)),
    ("ktp_kk", "KTP/KK dan administrasi kependudukan", "ID card, family card and civil registry", "private", False, wd(2), wd(7)),
    ("ketertiban_umum", "Ketertiban umum", "Public order", "private", False, wd(1), wd(5)),
    ("bansos", "Bantuan sosial", "Social assistance", "private", False, wd(3), wd(14)),
    ("pungli", "Pungutan liar", "Extortion and illegal levies", "private", False, wd(5), wd(40)),
    ("samsat", "Samsat/pajak kendaraan", "Samsat and vehicle tax", "private", False, wd(2), wd(7)),
    ("lainnya", "Lainnya", "Other", "private", False, wd(5), wd(20)),
]

# Categories handled by each kabupaten/kota: category -> OPD short code.
KABKOTA_ROUTING = [
    ("jalan_rusak", "PUPR"),
    ("drainase", "PUPR"),
    ("sampah", "DLH"),
    ("pohon_tumbang", "BPBD"),
    ("banjir", "BPBD"),
    ("bencana_alam", "BPBD"),
    ("lampu_jalan", "DISHUB"),
    ("parkir_liar", "DISHUB"),
    ("layanan_kesehatan", "DINKES"),
    ("sekolah_sd_smp", "DISDIK"),
    ("ktp_kk", "DISDUKCAPIL"),
    ("ketertiban_umum", "SATPOLPP"),
    ("bansos", "DINSOS"),
]

# Rules at region "18": provincial authority wherever the complaint is filed,
# plus the provincial-road fallback for jalan_rusak and the catch-all.
PROVINCIAL_ROUTING = [
    ("sekolah_sma_smk", "DISDIKBUD"),
    ("samsat", "BAPENDA"),
    ("pungli", "INSPEKTORAT"),
    ("jalan_rusak", "BMBK"),
    ("*", "DISKOMINFOTIK"),
]


def opd_code(short, region):
    return "%s-%s" % (short, region.replace(".", ""))


def load_regions():
    with open(REGIONS_CSV, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    regions = {r["code"]: r for r in rows}
    province = regions[PROVINCE]
    kabkota = sorted(
        (r for r in rows if r["level"] in ("kabupaten", "kota") and r["parent_code"] == PROVINCE),
        key=lambda r: r["code"],
    )
    return regions, province, kabkota


def build():
    regions, province, kabkota = load_regions()
    if len(kabkota) != 15:
        sys.exit("expected 15 kabupaten/kota in regions.csv, found %d" % len(kabkota))
    province_name = "Provinsi " + province["name"]

    opds = []
    for short, base in PROVINCIAL_OPDS:
        code = opd_code(short, PROVINCE)
        parent = None if short == "SETDA" else opd_code("SETDA", PROVINCE)
        opds.append({"code": code, "name": "%s %s" % (base, province_name), "region": PROVINCE, "parent": parent})
    for kk in kabkota:
        for short, base in KABKOTA_OPDS:
            parent = opd_code("SETDA", PROVINCE) if short == "SETDA" else opd_code("SETDA", kk["code"])
            opds.append({
                "code": opd_code(short, kk["code"]),
                "name": "%s %s" % (base, kk["name"]),
                "region": kk["code"],
                "parent": parent,
            })

    categories = [
        {
            "code": code,
            "name_id": name_id,
            "name_en": name_en,
            "default_visibility": vis,
            "photo_required": photo,
            "sla": {"response": resp, "resolution": resol},
        }
        for code, name_id, name_en, vis, photo, resp, resol in CATEGORIES
    ]

    rules = []
    for kk in kabkota:
        for cat, short in KABKOTA_ROUTING:
            rules.append({"category": cat, "region": kk["code"], "opd": opd_code(short, kk["code"]), "priority": 0})
    for cat, short in PROVINCIAL_ROUTING:
        rules.append({"category": cat, "region": PROVINCE, "opd": opd_code(short, PROVINCE), "priority": 0})

    catalog = {
        "name": province_name,
        "province": PROVINCE,
        "time_zone": TIME_ZONE,
        "working_day_close": WORKING_DAY_CLOSE,
        "opds": opds,
        "categories": categories,
        "rules": rules,
    }
    validate(catalog, regions)
    return catalog


def validate(cat, regions):
    opd_codes = [o["code"] for o in cat["opds"]]
    assert len(opd_codes) == len(set(opd_codes)), "duplicate OPD code"
    roots = [o["code"] for o in cat["opds"] if o["parent"] is None]
    assert roots == ["SETDA-18"], roots
    for o in cat["opds"]:
        assert o["region"] in regions, o
        assert o["parent"] is None or o["parent"] in opd_codes, o
    # parent chains reach the root without cycles
    parent = {o["code"]: o["parent"] for o in cat["opds"]}
    for c in opd_codes:
        seen = set()
        while c is not None:
            assert c not in seen, "cycle at %s" % c
            seen.add(c)
            c = parent[c]
    cat_codes = [c["code"] for c in cat["categories"]]
    assert len(cat_codes) == len(set(cat_codes)), "duplicate category code"
    for c in cat["categories"]:
        assert c["default_visibility"] in ("public", "private"), c
        assert isinstance(c["photo_required"], bool), c
        assert set(c["sla"]) == {"response", "resolution"}, c
        for target in c["sla"].values():
            assert len(target) == 1 and next(iter(target)) in ("working_days", "hours"), c
            v = next(iter(target.values()))
            assert isinstance(v, int) and v > 0, c
    keys = set()
    for r in cat["rules"]:
        assert r["category"] == "*" or r["category"] in cat_codes, r
        assert r["region"] in regions, r
        assert r["opd"] in opd_codes, r
        k = (r["category"], r["region"], r["priority"])
        assert k not in keys, "duplicate rule %r" % (k,)
        keys.add(k)
    assert ("*", cat["province"], 0) in keys, "no catch-all"


def dump(cat):
    one = lambda o: json.dumps(o, ensure_ascii=False)
    out = ["{"]
    for key in ("name", "province", "time_zone", "working_day_close"):
        out.append("  %s: %s," % (one(key), one(cat[key])))
    for key in ("opds", "categories", "rules"):
        out.append("  %s: [" % one(key))
        items = cat[key]
        for i, item in enumerate(items):
            out.append("    " + one(item) + ("," if i < len(items) - 1 else ""))
        out.append("  ]" + ("," if key != "rules" else ""))
    out.append("}")
    return "\n".join(out) + "\n"


def hand_kept(path):
    """What the existing catalog.json holds that this script does not write (see SOURCES.md)."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        existing = json.load(f)
    kept = [key for key in existing if key not in ("name", "province", "time_zone", "working_day_close", "opds", "categories", "rules")]
    for c in existing.get("categories", []):
        kept += ["%s.%s" % (c["code"], key) for key in ("public_place", "attributes") if key in c]
    return kept


def main():
    cat = build()
    text = dump(cat)
    assert json.loads(text) == cat
    kept = hand_kept(OUTPUT)
    if kept and "--force" not in sys.argv:
        sys.exit("catalog.json holds parts kept by hand that this script would drop (%s ...); "
                 "merge by hand, or run with --force and put them back" % ", ".join(kept[:4]))
    with open(OUTPUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print("wrote %s: %d OPDs, %d categories, %d rules"
          % (os.path.relpath(OUTPUT), len(cat["opds"]), len(cat["categories"]), len(cat["rules"])))


if __name__ == "__main__":
    main()
