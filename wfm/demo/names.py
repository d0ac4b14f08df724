"""Chinese names with their pinyin, drawn deterministically for demo people."""

from __future__ import annotations

import random

SURNAMES = [
    ("王", "Wang"),
    ("李", "Li"),
    ("张", "Zhang"),
    ("刘", "Liu"),
    ("陈", "Chen"),
    ("杨", "Yang"),
    ("赵", "Zhao"),
    ("黄", "Huang"),
    ("周", "Zhou"),
    ("吴", "Wu"),
    ("徐", "Xu"),
    ("孙", "Sun"),
    ("胡", "Hu"),
    ("朱", "Zhu"),
    ("高", "Gao"),
    ("林", "Lin"),
    ("何", "He"),
    ("郭", "Guo"),
    ("马", "Ma"),
    ("罗", "Luo"),
    ("梁", "Liang"),
    ("宋", "Song"),
    ("郑", "Zheng"),
    ("谢", "Xie"),
    ("韩", "Han"),
    ("唐", "Tang"),
    ("冯", "Feng"),
    ("于", "Yu"),
    ("董", "Dong"),
    ("萧", "Xiao"),
]
GIVEN = [
    ("伟", "Wei"),
    ("芳", "Fang"),
    ("娜", "Na"),
    ("敏", "Min"),
    ("静", "Jing"),
    ("丽", "Li"),
    ("强", "Qiang"),
    ("磊", "Lei"),
    ("军", "Jun"),
    ("洋", "Yang"),
    ("勇", "Yong"),
    ("艳", "Yan"),
    ("杰", "Jie"),
    ("娟", "Juan"),
    ("涛", "Tao"),
    ("明", "Ming"),
    ("超", "Chao"),
    ("秀英", "Xiuying"),
    ("霞", "Xia"),
    ("平", "Ping"),
    ("刚", "Gang"),
    ("桂英", "Guiying"),
    ("婷", "Ting"),
    ("晨", "Chen"),
    ("欣怡", "Xinyi"),
    ("子涵", "Zihan"),
    ("浩然", "Haoran"),
    ("雨桐", "Yutong"),
    ("梓萱", "Zixuan"),
    ("宇轩", "Yuxuan"),
    ("思远", "Siyuan"),
    ("佳怡", "Jiayi"),
    ("文博", "Wenbo"),
    ("晓东", "Xiaodong"),
    ("海燕", "Haiyan"),
    ("建华", "Jianhua"),
    ("丹", "Dan"),
    ("鑫", "Xin"),
    ("琳", "Lin"),
    ("倩", "Qian"),
]


def draw_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """`count` distinct (Chinese, pinyin) names, e.g. ("王芳", "Wang Fang")."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    while len(out) < count:
        (s_zh, s_en), (g_zh, g_en) = rng.choice(SURNAMES), rng.choice(GIVEN)
        zh = s_zh + g_zh
        if zh in seen:
            continue
        seen.add(zh)
        out.append((zh, f"{s_en} {g_en}"))
    return out
