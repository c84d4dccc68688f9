"""Chinese personal and school names for the sample rosters.

Surname weights follow the published national frequency ranking roughly (王, 李 and 张
each about 7 %); a scenario can boost regional surnames. Given names are one or two
characters drawn from pools that lean male or female, as real rosters do.
"""

from __future__ import annotations

import random
from itertools import accumulate

# (surname, weight in ‰ of the population, rounded)
_SURNAMES = (
    ("王", 71), ("李", 70), ("张", 67), ("刘", 54), ("陈", 45), ("杨", 31), ("黄", 22), ("赵", 20),
    ("吴", 20), ("周", 19), ("徐", 13), ("孙", 13), ("马", 12), ("朱", 12), ("胡", 11), ("郭", 11),
    ("何", 10), ("高", 10), ("林", 10), ("罗", 9), ("郑", 8), ("梁", 8), ("谢", 7), ("宋", 6),
    ("唐", 6), ("许", 6), ("韩", 6), ("冯", 6), ("邓", 6), ("曹", 6), ("彭", 5), ("曾", 5),
    ("肖", 5), ("田", 5), ("董", 5), ("袁", 4), ("潘", 4), ("于", 4), ("蒋", 4), ("蔡", 4),
    ("余", 4), ("杜", 4), ("叶", 4), ("程", 4), ("苏", 3), ("魏", 3), ("吕", 3), ("丁", 3),
    ("任", 3), ("沈", 3), ("姚", 3), ("卢", 3), ("姜", 3), ("崔", 3), ("钟", 3), ("谭", 3),
    ("陆", 2), ("汪", 2), ("范", 2), ("金", 2), ("石", 2), ("廖", 2), ("贾", 2), ("夏", 2),
    ("韦", 2), ("付", 2), ("方", 2), ("白", 2), ("邹", 2), ("孟", 2), ("熊", 2), ("秦", 2),
    ("邱", 2), ("江", 2), ("尹", 2), ("薛", 2), ("闫", 2), ("段", 2), ("雷", 2), ("侯", 2),
    ("龙", 2), ("史", 2), ("陶", 1), ("黎", 1), ("贺", 1), ("顾", 1), ("毛", 1), ("郝", 1),
    ("龚", 1), ("邵", 1), ("万", 1), ("钱", 1), ("严", 1), ("武", 1), ("乔", 1), ("安", 1),
    ("常", 1), ("牛", 1), ("康", 1), ("温", 1), ("岳", 1), ("樊", 1), ("霍", 1), ("杭", 1),
)

_MALE = tuple(dict.fromkeys(
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林志建国海峰亮文博晨昊东晓永春成"
    "毅锋彬晖岩松柏豪振兴德胜忠诚荣晋"
))
_FEMALE = tuple(dict.fromkeys(
    "芳娜敏静丽艳娟霞燕玲婷雪慧颖琳洁倩红梅琴云莉萍丹璐佳悦欣怡雯蕾晶瑶蓉英荣秀兰凤琼瑜菲"
    "彤妍楠薇月婧璇岚茜珊淑媛"
))
_EITHER = tuple("文明晓春秋冬丹华玉晨宁佳宇欣怡鑫悦瑞睿子一思雨梓")


class NameDrawer:
    """Draws full names from one `random.Random`, so a roster is the same for the same seed."""

    def __init__(self, rng: random.Random, surname_boost: dict[str, float] | None = None):
        boost = surname_boost or {}
        known = {s for s, _ in _SURNAMES}
        pairs = [(s, w * boost.get(s, 1.0)) for s, w in _SURNAMES]
        # A boosted surname missing from the table joins it with a modest base weight.
        pairs += [(s, 2 * b) for s, b in sorted(boost.items()) if s not in known]
        self._rng = rng
        self._surnames = [s for s, _ in pairs]
        self._cumulative = list(accumulate(w for _, w in pairs))

    def name(self, female: bool) -> str:
        rng = self._rng
        surname = rng.choices(self._surnames, cum_weights=self._cumulative)[0]
        pool = _FEMALE if female else _MALE
        first = pool[rng.randrange(len(pool))]
        if rng.random() < 0.28:
            return surname + first
        second_pool = pool if rng.random() < 0.7 else _EITHER
        second = second_pool[rng.randrange(len(second_pool))]
        if second == first and rng.random() < 0.7:
            second = pool[rng.randrange(len(pool))]  # 丽丽 exists, but less often than chance says
        return surname + first + second


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 25 → 二十五, 105 → 一百零五 (up to 999)."""
    if not 0 < n < 1000:
        raise ValueError(n)
    hundreds, rest = divmod(n, 100)
    if not hundreds:
        tens, ones = divmod(rest, 10)
        head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
        return head + (_DIGITS[ones] if ones else "")
    if not rest:
        return _DIGITS[hundreds] + "百"
    tens, ones = divmod(rest, 10)
    # Inside a larger number ten reads 一十 (一百一十), a missing ten reads 零 (一百零五).
    middle = "零" if tens == 0 else _DIGITS[tens] + "十"
    return _DIGITS[hundreds] + "百" + middle + (_DIGITS[ones] if ones else "")


_VILLAGE_SURNAMES = "王李张刘赵杨郭高马孙田白石韩冯贾乔闫薛段郝武"
_VILLAGE_HEADS = "东西南北前后上下大小"
_VILLAGE_PLACES = "庄村沟堡屯营洼坪湾梁峪窑寨河岭"


def village_name(rng: random.Random) -> str:
    """A plausible northern Han village name: 王家庄, 南沟, 后堡子, 大峪口..."""
    style = rng.random()
    if style < 0.5:
        return rng.choice(_VILLAGE_SURNAMES) + "家" + rng.choice(_VILLAGE_PLACES)
    if style < 0.85:
        return rng.choice(_VILLAGE_HEADS) + rng.choice(_VILLAGE_PLACES)
    return rng.choice(_VILLAGE_HEADS) + rng.choice(_VILLAGE_PLACES) + rng.choice("口子头")
