"""report.pdf's HTML: order, timeline, draft, evidence list with hashes and thumbnails,
each capture's environment report, and the trusted timestamps.

Evidence says where it came from: a helper capture (the helper's own browser loaded the
page, with its environment report) is labelled apart from a tab snapshot — the buyer's
own logged-in view, sent by the extension and re-rendered offline — whose provenance
(page URL, when it was received, the DOM's SHA-256, the extension's version) is labelled
as supplied by the buyer."""

from __future__ import annotations

import html
from typing import Any

from helper import __version__
from helper.bundle.layout import REPORT_TITLE_KEY
from helper.bundle.texts import beijing_time
from helper.models import Case, Evidence

REPORT_CSS = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
  font-size: 10.5pt; color: #1d2939; line-height: 1.5; }
h1 { font-size: 18pt; margin: 0 0 4pt; } h2 { font-size: 13pt; margin: 16pt 0 6pt;
  border-bottom: 1px solid #d0d5dd; padding-bottom: 2pt; }
.muted { color: #667085; } .mono { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; word-break: break-all; }
table { width: 100%; border-collapse: collapse; } td, th { border: 1px solid #e4e7ec; padding: 3pt 5pt;
  vertical-align: top; text-align: left; } th { background: #f2f4f7; width: 24%; }
.draft { white-space: pre-wrap; border: 1px solid #d0d5dd; padding: 8pt; border-radius: 4pt; }
.ev { page-break-inside: avoid; border: 1px solid #d0d5dd; border-radius: 4pt; padding: 6pt; margin: 0 0 8pt;
  display: flex; gap: 8pt; } .ev img { width: 120pt; height: 90pt; object-fit: cover; object-position: top;
  border: 1px solid #e4e7ec; flex: none; } .ev .body { flex: 1; min-width: 0; }
.timeline td:first-child { width: 28%; white-space: nowrap; }
.label { display: inline-block; font-size: 8.5pt; padding: 0 4pt; border-radius: 3pt; margin-right: 4pt; }
.helper { background: #d1fadf; color: #05603a; } .buyer { background: #fef0c7; color: #93370d; }
.env td, .env th { font-size: 8pt; } .env th { width: 22%; }
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _environment(env: dict[str, Any], stamp: str | None) -> str:
    """The capture environment report as a table (the full record, PEM included, is in the
    signed manifest)."""
    chain = env.get("tls_chain") or {}
    certs = chain.get("certificates") or []
    rows = [
        ("浏览器 Browser", f"{env.get('browser') or ''} {env.get('browser_version') or ''} · {env.get('os') or ''}"),
        ("配置 Profile", "全新、无扩展 · fresh profile, no extensions" if (env.get("profile") or {}).get("fresh")
         else None),
        ("代理 Proxy", (env.get("proxy") or {}).get("kind")),
        ("服务器 Servers", ", ".join(f"{h} → {v.get('ip')}:{v.get('port')}" for h, v in (env.get("servers") or {}).items())),
        ("TLS 证书链 Chain", "<br>".join(f"{_e(c.get('subject'))} ← {_e(c.get('issuer'))}"
                                        f" ({_e(str(c.get('not_after', ''))[:10])})" for c in certs)
         or _e(chain.get("error")) or None),
        ("响应头 Headers", "; ".join(f"{k}: {v}" for k, v in list((env.get("response_headers") or {}).items())[:12])),
        ("重定向 Redirects", " → ".join(env.get("redirect_chain") or []) or "无 none"),
        ("拦截 Blocked", f"{len(env.get('blocked') or [])}: " + "; ".join((env.get("blocked") or [])[:8])),
        ("浏览器后台请求 Background", "; ".join(env.get("browser_background_requests") or []) or "无 none"),
        ("时钟 Clock vs TSA", stamp),
        ("助手 Helper", f"{env.get('helper_version') or ''} · code sha256:{env.get('helper_code_sha256') or ''}"),
    ]
    cells = "".join(f"<tr><th>{_e(k)}</th><td class=mono>{v if k.startswith('TLS') else _e(v)}</td></tr>"
                    for k, v in rows if v)
    return f"<table class=env>{cells}</table>"


def _provenance(ev: Evidence, stamp: str | None) -> str:
    """Whose evidence this is: the helper's own capture, or what the buyer's browser sent."""
    m = ev.metadata or {}
    if ev.kind.value == "url_capture":
        return ("<p><span class='label helper'>助手采集 · Helper capture</span>"
                "投诉助手自己的浏览器加载了这个页面 · the helper's own browser loaded this page</p>"
                + _environment(m.get("environment") or {}, stamp))
    if ev.kind.value == "tab_snapshot":
        dom = next((a.sha256 for a in ev.artifacts if a.role == "html"), "")
        rows = [("页面 Page URL", m.get("url")), ("收到 Received", beijing_time(m.get("received_at"))),
                ("DOM SHA-256", dom), ("扩展版本 Extension", m.get("extension_version") or "未注明 not stated"),
                ("来自 From", m.get("client")), ("可信时间戳 Timestamp", stamp)]
        cells = "".join(f"<tr><th>{_e(k)}</th><td class=mono>{_e(v)}</td></tr>" for k, v in rows if v)
        return ("<p><span class='label buyer'>买家提供 · Buyer-supplied</span>"
                "买家本人登录后在自己浏览器中看到的页面，由浏览器扩展发送，助手离线重新渲染（不联网、不运行脚本），"
                "不是助手采集的 · the buyer's own logged-in view, sent by the extension and re-rendered offline "
                "(no network, no scripts); not a helper capture</p>"
                f"<table class=env>{cells}</table>")
    return ""


def render_report_html(case: Case, evidence: list[Evidence], paths: dict[tuple[str, str], str],
                       thumbs: dict[str, str | None], draft_text: str | None, draft: dict[str, Any],
                       fingerprint: str, exported_at: str, stamps: dict[str, str] | None = None,
                       sealed_stamp: str | None = None) -> str:
    """Every value is HTML-escaped; the page runs with JavaScript off and no network.

    The fingerprint is printed on the page and ends the <title>, which Chromium writes into
    the PDF's metadata — where `verify-bundle` reads it back without a PDF parser."""
    o = case.order
    platform = {"taobao": "淘宝 Taobao", "tmall": "天猫 Tmall"}.get(o.platform.value, o.platform.value)
    facts = [("订单号 Order id", o.order_id), ("平台 Platform", platform),
             ("店铺 Shop", o.shop_name), ("卖家 Seller", o.seller_nick),
             ("订单状态 Order status", o.status_text),
             ("实付 Amount paid", f"¥{o.actual_fee}" if o.actual_fee else None),
             ("下单 Created", beijing_time(o.created_at)), ("付款 Paid", beijing_time(o.paid_at)),
             ("发货 Shipped", beijing_time(o.shipped_at)), ("收货 Received", beijing_time(o.received_at)),
             ("物流 Logistics", " ".join(x for x in [o.logistics.company, o.logistics.tracking_no] if x)
              if o.logistics else None),
             ("订单详情 Detail URL", o.detail_url)]
    items = "".join(
        f"<tr><td>{_e(it.title)}<br><span class=muted>{_e(it.sku)}</span></td>"
        f"<td class=mono>{_e(it.sub_order_id)}</td><td>{_e(it.unit_price and '¥' + it.unit_price)} × {it.quantity}</td></tr>"
        for it in o.items)
    timeline = "".join(f"<tr><td>{_e(beijing_time(t.at))}</td><td>{_e(t.text)}</td></tr>" for t in case.timeline)
    ev_blocks = []
    for n, ev in enumerate(evidence, start=1):
        m = ev.metadata or {}
        thumb = thumbs.get(ev.id)
        img = f'<img src="{_e(thumb)}" alt="">' if thumb and thumb.startswith("data:image/") else ""
        rows = "".join(
            f"<tr><td>{_e(a.role)}</td><td class=mono>{_e(paths[(ev.id, a.role)])}<br>{_e(a.sha256)}</td>"
            f"<td>{a.size:,} B</td></tr>" for a in ev.artifacts)
        url = m.get("final_url") or m.get("url") or m.get("requested_url")
        ev_blocks.append(
            f"<div class=ev>{img}<div class=body><strong>{n}. {_e(ev.title)}</strong><br>"
            f"<span class=muted>{_e(ev.kind.value)} · {_e(ev.category.value)} · {_e(beijing_time(ev.created_at))}"
            f" · {_e(ev.id)}</span>"
            + (f"<br><span class=mono>{_e(url)}</span>" if url else "")
            + _provenance(ev, (stamps or {}).get(ev.id))
            + f"<table>{rows}</table></div></div>")
    draft_html = (f"<div class=draft>{_e(draft_text)}</div>" if draft_text
                  else "<p class=muted>尚无投诉草稿 · no complaint draft yet</p>")
    title = f"投诉证据报告 · 订单 {o.order_id} · 签名公钥 {REPORT_TITLE_KEY}{fingerprint}"
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>{_e(title)}</title><style>{REPORT_CSS}</style></head><body>
<h1>投诉证据报告 · Complaint evidence report</h1>
<p class=muted>案件 {_e(case.id)} · 导出 {_e(beijing_time(exported_at))}（北京时间）· tousu-helper {_e(__version__)}<br>
签名公钥指纹 Signing key: <span class=mono>{_e(fingerprint)}</span></p>
<h2>订单信息 · Order</h2>
<table>{"".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in facts if v)}</table>
{f"<h2>商品 · Items</h2><table>{items}</table>" if items else ""}
<h2>时间线 · Timeline</h2><table class=timeline>{timeline}</table>
<h2>投诉草稿 · Complaint draft</h2>{draft_html}
<h2>证据清单 · Evidence ({len(evidence)})</h2>
{"".join(ev_blocks) or "<p class=muted>没有证据 · no evidence</p>"}
<h2>可信时间戳 · Trusted timestamps (RFC 3161)</h2>
<p>{_e(sealed_stamp or "案件清单未申请可信时间戳 · the case manifest was not timestamped")}</p>
<p class=muted>本报告本身以签名公钥对应的证书签名（PAdES），证书见 report-signer.pem · this report is itself
signed (PAdES) with the signing key's certificate, report-signer.pem.</p>
<h2>如何校验 · How to verify</h2>
<p>每个文件的 SHA-256 列在已签名的 manifest.json 中；按 VERIFY.txt 的步骤用 sha256sum 与 openssl 校验。
Every file's SHA-256 is listed in the signed manifest.json; follow VERIFY.txt to check with sha256sum and openssl.</p>
</body></html>"""
