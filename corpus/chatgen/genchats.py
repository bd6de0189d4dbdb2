#!/usr/bin/env python3
"""Compose corpus/chats_train.jsonl and corpus/chats_test.jsonl from the hand-written
core chats in cores_*.txt (issue 16).

Each core chat is written by hand with its SOP §8 labels. Variants of it add what real
marketplace chats carry around the problem without changing its labels: a greeting or a
product link first, an order line with masked spans or real-looking numbers, the agent's
turns, a side question, a closing word, typos, and the copy format of one of five back
offices (千牛, 京麦, 抖店, 拼多多, 快手) or plain speaker tags. All variants of a core go to
the same split (every fifth core by hash is test), so the test split measures chats whose
problem was never trained on.

Deterministic: python3 corpus/chatgen/genchats.py rewrites both files identically.
"""
import json
import os
import random
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
DEMANDS = {"rr": "return_refund", "ro": "refund_only", "ex": "exchange", "co": "compensation",
           "rs": "reship", "rp": "repair", "exp": "expedite", "info": "info", "none": "none"}
EMOTIONS = {"c": "calm", "u": "upset", "a": "angry"}
AFTER_SALES = "after"


def read_cores():
    cores = []
    for name in sorted(os.listdir(HERE)):
        if not (name.startswith("cores_") and name.endswith(".txt")):
            continue
        typ = None
        for line in open(os.path.join(HERE, name), encoding="utf-8"):
            line = line.strip()
            if line.startswith("## "):
                typ = line[3:].strip()
                continue
            if not line or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split("|")]
            d, e, l = parts[0].split()
            # A turn starting with ">" is the agent's (cores_f: offers and answers).
            turns = [("agent", p[1:].strip()) if p.startswith(">") else ("customer", p) for p in parts[1:]]
            cores.append({"type": typ, "demand": DEMANDS[d], "emotion": EMOTIONS[e], "level": int(l),
                          "turns": turns, "src": name})
    return cores


GREETINGS = ["在吗", "你好", "您好", "亲 在吗", "在不在", "hello", "有人吗", "客服在吗？", "老板在吗", "你好，在吗",
             "[表情]", "在？", "亲亲", "哈喽", "你好 打扰一下", "掌柜的在吗"]
LINKS = ["https://item.taobao.com/item.htm?id=[数字]", "https://detail.tmall.com/item.htm?id=[数字]&skuId=[数字]",
         "https://item.jd.com/[数字].html", "https://haohuo.jinritemai.com/views/product/item2?id=[数字]",
         "https://mobile.yangkeduo.com/goods.html?goods_id=[数字]", "【淘宝】https://m.tb.cn/h.[数字] 「商品」点击链接直接打开",
         "[商品链接]", "[图片]"]


def order_line(rng, platform):
    kind = rng.random()
    if kind < 0.45:
        return rng.choice(["订单号：[数字]", "订单号[数字]", "我的订单[数字]", "订单编号：[数字]", "单号[数字]", "订单号 [数字]"])
    if platform == "pdd":
        num = "%06d-%015d" % (rng.randint(230101, 241230), rng.randint(10**14, 10**15 - 1))
    elif platform == "jd":
        num = str(rng.randint(10**11, 10**12 - 1))
    else:
        num = str(rng.randint(10**17, 10**18 - 1))
    return rng.choice(["订单号：", "订单号", "订单编号 ", "这是订单号 "]) + num


def tracking_line(rng):
    n = rng.random()
    if n < 0.4:
        return rng.choice(["快递单号[数字]", "运单号：[数字]", "物流单号 [数字]"])
    num = rng.choice(["SF%013d" % rng.randint(10**12, 10**13 - 1), "YT%013d" % rng.randint(10**12, 10**13 - 1),
                      "JT%013d" % rng.randint(10**12, 10**13 - 1), "7%013d" % rng.randint(10**12, 10**13 - 1)])
    return rng.choice(["快递单号", "运单号：", "快递单号是", "单号 "]) + num


def price_line(rng):
    return rng.choice(["价格%d元" % rng.randint(19, 899), "实付[金额]", "花了%d块" % rng.randint(29, 399),
                       "￥%d.%d" % (rng.randint(9, 499), rng.randint(0, 9)), "付了[金额]元"])


SIDE_QUESTIONS = ["顺便问下能开发票吗", "另外你们几点下班", "对了，你们客服电话多少", "还有，发票可以开公司的吗",
                  "另外这个有保修卡吗", "顺便问一下你们店在哪个城市发货", "能加个微信吗", "另外积分怎么用"]
CALM_CLOSERS = ["好的", "谢谢", "嗯嗯", "好的谢谢", "麻烦了", "行", "好", "谢谢亲", "[表情]", "ok", "知道了"]
UNHAPPY_CLOSERS = ["？？", "尽快吧", "快点处理", "行吧", "能不能快点", "等你们回复", "人呢？"]
ANGRY_CLOSERS = ["？？？", "快点！！", "别磨蹭了", "赶紧的", "人呢！"]

AGENT_HELLO = ["亲，在的呢，请问有什么可以帮您？", "您好，很高兴为您服务~", "在的亲，请问有什么问题呢", "亲亲您好，请问有什么可以帮到您的",
               "欢迎光临，请问有什么可以帮您的呢？"]
AGENT_BY_TYPE = {
    "quality": ["非常抱歉给您带来不好的体验，麻烦拍一下照片或视频给我们看看哦", "亲，这边帮您登记一下，麻烦提供下订单号哦",
                "抱歉亲，给您添麻烦了，这边查到您的订单了，马上为您处理", "亲，您说的情况我们已经记录了，请稍等"],
    "personal": ["亲，支持七天无理由的哦，商品不影响二次销售就可以", "好的亲，您在订单里申请售后就可以哦", "亲，请问商品拆封使用了吗"],
    "fulfilment": ["非常抱歉，这边马上帮您核实一下仓库的发货记录", "亲，麻烦拍一下收到的商品和快递面单哦", "抱歉亲，这边查到您的订单了，马上给您核实"],
    "logistics": ["亲，这边帮您查询一下物流哦，请稍等", "亲，请提供一下订单号，这边帮您看看", "好的亲，这边帮您联系快递了哦",
                  "亲，物流显示包裹在运输中"],
    "usage": ["亲，这边给您发一下使用视频哦", "亲，请问是哪一步不会呢", "好的亲，说明书第三页有写，这边给您截图"],
    "refund": ["亲，这边帮您看一下退款进度", "亲，退款会原路返回的哦", "请稍等亲，这边帮您催一下财务"],
    "complaint": ["非常抱歉亲，这边马上反馈给专员处理", "抱歉给您带来不好的体验，您的问题已经升级了", "亲，请您消消气，这边帮您跟进"],
    "presale": ["有的亲，放心拍哦", "亲，支持七天无理由退换的", "亲，下单后48小时内发货哦", "亲，现货的哦，今天拍今天发",
                "亲，这款是一年保修的哦，可以放心下单"],
}

TYPO = [("退货", "退贷"), ("漏水", "漏谁"), ("怎么", "肿么"), ("收到", "收道"), ("快递", "快第"), ("没有", "木有"),
        ("什么", "神马"), ("质量", "质亮"), ("物流", "物留"), ("补偿", "补尝"), ("换货", "换火")]

STYLES = ["taobao", "jd", "douyin", "pdd", "kuaishou", "plain"]
SHOPS = ["小熊电器", "美的生活", "简约家居", "暖暖母婴", "潮流服饰", "优品数码", "好物集", "云朵家纺"]
AGENT_NAMES = ["小美", "小雨", "阿杰", "糖糖", "小七", "安安", "小乔", "木木"]


def agent_for(typ):
    return AGENT_BY_TYPE.get(typ.split(".")[0], AGENT_BY_TYPE["quality"])


def compose(core, rng, variant):
    """One variant of a core chat: a list of (speaker, text)."""
    typ = core["type"]
    presale = typ == "presale"
    dialogue = list(core["turns"])
    if variant > 0 and rng.random() < 0.12:
        dialogue = [(sp, apply_typos(t, rng) if sp == "customer" else t) for sp, t in dialogue]
    if variant > 0 and core["emotion"] == "angry" and rng.random() < 0.4 and len(dialogue[0][1]) > 8:
        t = dialogue[0][1]
        cut = rng.randint(3, len(t) - 3)
        dialogue = [("customer", t[:cut]), ("customer", t[cut:])] + dialogue[1:]
    has_agent = any(sp == "agent" for sp, _ in dialogue)
    cust = [t for _, t in dialogue]
    lead, tail = [], []
    if variant > 0:
        r = rng.random()
        if r < 0.35:
            lead.append(rng.choice(GREETINGS))
        elif r < 0.55:
            lead.append(rng.choice(LINKS))
        if not presale and rng.random() < 0.45:
            line = order_line(rng, core["platform"])
            if rng.random() < 0.3:
                line += "，" + price_line(rng)
            if lead and rng.random() < 0.5:
                lead[-1] = lead[-1] + " " + line
            else:
                lead.append(line)
        if not presale and typ.startswith(("logistics", "fulfilment", "quality")) and rng.random() < 0.2:
            tail.append(tracking_line(rng))
        if rng.random() < 0.2:
            tail.append(rng.choice(SIDE_QUESTIONS))
        if rng.random() < 0.35:
            pool = CALM_CLOSERS if core["emotion"] == "calm" else (UNHAPPY_CLOSERS if core["emotion"] == "upset" else ANGRY_CLOSERS)
            tail.append(rng.choice(pool))
    turns = [("customer", t) for t in lead]
    with_agent = variant > 0 and rng.random() < 0.7
    if with_agent and lead:
        turns.append(("agent", rng.choice(AGENT_HELLO)))
    agent_lines = agent_for(typ)
    if has_agent:
        # The core's own agent turns (an offer and its answer) stand as written.
        turns.extend(dialogue)
        cust = []
    for i, t in enumerate(cust):
        turns.append(("customer", t))
        if with_agent and i == len(cust) - 1 and rng.random() < 0.8:
            turns.append(("agent", rng.choice(agent_lines)))
        elif with_agent and rng.random() < 0.25:
            turns.append(("agent", rng.choice(["好的亲，您稍等", "亲，请问还有其他问题吗", "嗯嗯亲，这边看一下", "收到亲"])))
    for t in tail:
        turns.append(("customer", t))
    if with_agent and tail and rng.random() < 0.5:
        turns.append(("agent", rng.choice(["好的亲", "亲，还有其他可以帮您的吗", "收到，亲"])))
    return turns


def apply_typos(text, rng):
    for a, b in TYPO:
        if a in text and rng.random() < 0.6:
            text = text.replace(a, b, 1)
    return text


def render(turns, style, rng):
    """The conversation as the style's back office copies it."""
    shop, agent = rng.choice(SHOPS), rng.choice(AGENT_NAMES)
    y, mo, d = rng.choice([2024, 2025, 2026]), rng.randint(1, 12), rng.randint(1, 28)
    h, mi, s = rng.randint(8, 22), rng.randint(0, 59), rng.randint(0, 59)
    if style == "taobao":
        cname, aname = rng.choice(["tb%d" % rng.randint(10**8, 10**9), "小鱼儿_%d" % rng.randint(10, 99), "t_15%d" % rng.randint(10**8, 10**9), "快乐的猫咪"]), "%s旗舰店:%s" % (shop, agent)
    elif style == "jd":
        cname, aname = "jd_%x" % rng.randint(16**9, 16**10), "%s京东自营旗舰店 %s" % (shop, agent)
    elif style == "douyin":
        cname, aname = "用户%d" % rng.randint(10**7, 10**8), "%s官方旗舰店-客服%s" % (shop, agent)
    elif style == "pdd":
        cname, aname = "pdd_%d" % rng.randint(10**7, 10**8), "%s专营店客服%s" % (shop, agent)
    elif style == "kuaishou":
        cname, aname = "快手用户%d" % rng.randint(1000, 99999), "%s小店客服" % shop
    lines = []
    for speaker, text in turns:
        s += rng.randint(5, 90)
        mi, s = (mi + s // 60) % 60, s % 60
        if style == "plain":
            tag = rng.choice(["顾客", "买家"]) if speaker == "customer" else rng.choice(["客服", "卖家"])
            lines.append("%s：%s" % (tag, text))
            continue
        name = cname if speaker == "customer" else aname
        if style == "taobao":
            lines.append("%s %04d-%02d-%02d %02d:%02d:%02d\n%s" % (name, y, mo, d, h, mi, s, text))
        elif style == "jd":
            lines.append("%s  %04d-%02d-%02d %02d:%02d:%02d\n%s" % (name, y, mo, d, h, mi, s, text))
        elif style == "douyin":
            lines.append("%s %04d/%02d/%02d %02d:%02d\n%s" % (name, y, mo, d, h, mi, text))
        elif style == "pdd":
            lines.append("%s %02d:%02d:%02d\n%s" % (name, h, mi, s, text))
        elif style == "kuaishou":
            lines.append("[%04d-%02d-%02d %02d:%02d:%02d] %s：%s" % (y, mo, d, h, mi, s, name, text))
    return "\n".join(lines)


PLATFORM = {"taobao": "taobao", "jd": "jd", "douyin": "douyin", "pdd": "pdd", "kuaishou": "kuaishou", "plain": ""}


def main():
    cores = read_cores()
    train, test = [], []
    for ci, core in enumerate(cores):
        key = core["turns"][0][1] + "|" + core["type"]
        split = test if zlib.crc32(key.encode("utf-8")) % 5 == 0 else train
        rng = random.Random(zlib.crc32(key.encode("utf-8")))
        for v in range(6):
            style = rng.choice(STYLES)
            core["platform"] = style
            turns = compose(core, rng, v)
            raw = render(turns, style, rng) if v > 0 and rng.random() < 0.5 else ""
            obj = {"turns": [{"speaker": sp, "text": t} for sp, t in turns], "conversation": raw,
                   "platform": PLATFORM[style], "type": core["type"], "demand": core["demand"],
                   "emotion": core["emotion"], "level": core["level"]}
            split.append(obj)
    seen = set()
    for name, rows in (("chats_train.jsonl", train), ("chats_test.jsonl", test)):
        with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
            for row in rows:
                k = json.dumps(row["turns"], ensure_ascii=False)
                if k in seen:
                    continue
                seen.add(k)
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print("cores", len(cores), "train", len(train), "test", len(test))


if __name__ == "__main__":
    main()
