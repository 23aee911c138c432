#!/usr/bin/env python3
"""Generates contracts.json, the health commission's family doctor contracts served by the legacy-system
simulator (src/DataPool.Server/Simulator), from the demo world's household register (../hukou/persons.csv).

Deterministic: the same persons.csv gives the same file.  Run from anywhere:  python3 seeds/health/generate_contracts.py
About 30% of residents hold a contract (65% of those 60 and over), with some dirt of the kinds legacy APIs have.
"""
import csv, datetime, json, os, random

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = datetime.date(2026, 11, 1)          # the demo world's "today"
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"

def valid(i):
    return len(i) == 18 and i[:17].isdigit() and CHECK[sum(int(a) * b for a, b in zip(i[:17], W)) % 11] == i[17].upper()

CLINICS = {
    "110101001001": ("多福巷社区卫生服务站", ["李秀兰", "王建国", "张丽萍", "刘志强", "陈静"]),
    "110101001002": ("银闸社区卫生服务站", ["杨文华", "赵敏", "黄海涛", "周红梅"]),
    "110101001003": ("东厂社区卫生服务站", ["吴丽娟", "徐立新", "孙玉芳", "马晓东"]),
}
CENTRE = "东华门社区卫生服务中心"
CONDITIONS = ["高血压", "糖尿病", "冠心病", "慢阻肺", "脑卒中", "骨质疏松"]

def main():
    r = random.Random(20190101 + 505)
    with open(os.path.join(HERE, "..", "hukou", "persons.csv"), encoding="gb18030", newline="") as f:
        rows = list(csv.reader(f))[2:]
    seen, people = set(), []
    for row in rows:
        if len(row) < 10:
            continue
        i = row[0].strip()
        if not valid(i) or i in seen:
            continue
        try:
            birth = datetime.date(int(i[6:10]), int(i[10:12]), int(i[12:14]))
        except ValueError:
            continue
        seen.add(i)
        people.append((i, row[9].strip(), birth))

    records, bad, per_clinic = [], 0, {}
    for i, community, birth in people:
        age = (REFERENCE - birth).days // 365
        if r.random() >= (0.65 if age >= 60 else 0.2):
            continue
        clinic, doctors = CLINICS.get(community, (CENTRE, ["郑卫东", "冯淑贞"]))
        seq = per_clinic[community] = per_clinic.get(community, 0) + 1
        signed = REFERENCE - datetime.timedelta(days=r.randint(1, 365 * 3))
        expiry = signed.replace(year=signed.year + 1) if not (signed.month == 2 and signed.day == 29) else datetime.date(signed.year + 1, 2, 28)
        n = r.choices([0, 1, 2], [0.45, 0.35, 0.2])[0] if age >= 60 else r.choices([0, 1], [0.85, 0.15])[0]
        conditions = "、".join(sorted(r.sample(CONDITIONS, n), key=CONDITIONS.index)) or None
        doctor = r.choice(doctors)
        ident, signed_text = i, signed.isoformat()
        # Formats legacy systems mix: ISO mostly, then 2021/3/5 and 20210305.
        fmt = r.random()
        if fmt < 0.1:
            signed_text = f"{signed.year}/{signed.month}/{signed.day}"
        elif fmt < 0.15:
            signed_text = signed.strftime("%Y%m%d")
        # Dirt: lower-case x and spaces (normalised, accepted); a wrong check character or an impossible date (quarantined).
        dirt = r.random()
        if dirt < 0.01:
            ident = i[:17] + next(c for c in "0123456789X" if c != i[17].upper())
            bad += 1
        elif dirt < 0.015:
            signed_text = f"{signed.year}-02-30"
            bad += 1
        elif dirt < 0.035:
            ident = i[:6] + " " + i[6:14] + " " + i[14:]
        elif i.endswith("X") and dirt < 0.2:
            ident = i[:17] + "x"
        records.append({
            "id_number": ident,
            "contract_no": f"JTYS{community[-6:]}{signed.year}{seq:05d}",
            "doctor_name": doctor,
            "clinic": clinic,
            "signed_date": signed_text,
            "expiry_date": expiry.isoformat(),
            "chronic_conditions": conditions,
            "team": {"name": f"{doctor}家庭医生团队", "phone": f"010-6525{r.randint(0, 9999):04d}"},
            "services": ["基本公共卫生服务"] + (["慢病随访"] if conditions else []),
        })
    with open(os.path.join(HERE, "contracts.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write("[\n" + ",\n".join(json.dumps(x, ensure_ascii=False, separators=(",", ":")) for x in records) + "\n]\n")
    print(f"contracts.json: {len(records)} records, {bad} with a wrong check character or an impossible date")

if __name__ == "__main__":
    main()
