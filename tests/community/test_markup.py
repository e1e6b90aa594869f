"""The user-text pipeline (community.markup) against a corpus of XSS vectors.

Every vector is rendered and the OUTPUT is parsed with the stdlib HTML parser; the
checks are structural (which tags, which attributes, which URLs), never "this substring
is absent": escaped text such as "&lt;script&gt;" is the expected, harmless outcome.
No database is needed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from pygments.token import STANDARD_TYPES

from community import markup

# --- The corpus ----------------------------------------------------------------------
#
# (readable id, payload). Sources: classic <script> variants, javascript:/vbscript:/data:
# URL tricks, markdown-specific links and images, mXSS (namespace confusion, raw-text
# elements, comments), OWASP's XSS filter evasion cheat sheet and bleach's own
# regression tests and advisories (CVE-2020-6802, CVE-2020-6816, CVE-2021-23980).

_SVG_B64 = (
    "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0iYWxlcnQoMSkiLz4="
)
_HTML_B64 = "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="
_JS_DECIMAL = "".join(f"&#{ord(c)};" for c in "javascript:alert('XSS')")
_JS_DECIMAL_PADDED = "".join(f"&#{ord(c):07d}" for c in "javascript:alert('XSS')")
_JS_HEX = "".join(f"&#x{ord(c):X}" for c in "javascript:alert('XSS')")

_CORPUS: list[tuple[str, str]] = [
    # Classic <script> variants.
    ("script-plain", "<script>alert(1)</script>"),
    ("script-uppercase", "<SCRIPT>alert(1)</SCRIPT>"),
    ("script-src-remote", '<script src="https://evil.example/x.js"></script>'),
    ("script-slash-attr", '<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>'),
    ("script-slash-src", '<SCRIPT/SRC="http://xss.rocks/xss.js"></SCRIPT>'),
    ("script-double-open", '<<SCRIPT>alert("XSS");//\\<</SCRIPT>'),
    ("script-unclosed-src", "<SCRIPT SRC=http://xss.rocks/xss.js?< B >"),
    ("script-protocol-relative-src", "<SCRIPT SRC=//xss.rocks/.j>"),
    ("script-split-by-script", "<scri<script>pt>alert(1)</scr</script>ipt>"),
    ("script-after-title", '</TITLE><SCRIPT>alert("XSS");</SCRIPT>'),
    ("script-in-blockquote", "> <script>alert(1)</script>"),
    ("script-in-list", "- <script>alert(1)</script>\n- item"),
    ("script-in-heading", "# <script>alert(1)</script>"),
    ("script-defer-in-unknown-ns", (
        '<HTML><BODY><?xml:namespace prefix="t" ns="urn:schemas-microsoft-com:time">'
        '<?import namespace="t" implementation="#default#time2">'
        '<t:set attributeName="innerHTML" to="XSS<SCRIPT DEFER>alert(&quot;XSS&quot;)'
        '</SCRIPT>"></BODY></HTML>'
    )),
    # javascript: links, raw HTML.
    ("js-href-plain", '<a href="javascript:alert(1)">x</a>'),
    ("js-href-mixed-case", '<a href="JaVaScRiPt:alert(1)">x</a>'),
    ("js-href-colon-decimal", '<a href="javascript&#58;alert(1)">x</a>'),
    ("js-href-colon-decimal-no-semicolon", '<a href="javascript&#58alert(1)">x</a>'),
    ("js-href-colon-hex", '<a href="javascript&#x3a;alert(1)">x</a>'),
    ("js-href-colon-named", '<a href="javascript&colon;alert(1)">x</a>'),
    ("js-href-first-letter-entity", '<a href="&#x6A;avascript:alert(1)">x</a>'),
    ("js-href-tab-in-scheme", '<a href="java\tscript:alert(1)">x</a>'),
    ("js-href-tab-entity-in-scheme", '<a href="jav&#x09;ascript:alert(1)">x</a>'),
    ("js-href-newline-entity-in-scheme", '<a href="jav&#x0A;ascript:alert(1)">x</a>'),
    ("js-href-cr-entity-in-scheme", '<a href="jav&#x0D;ascript:alert(1)">x</a>'),
    ("js-href-newline-in-scheme", '<a href="java\nscript:alert(1)">x</a>'),
    ("js-href-nul-in-scheme", '<a href="java\x00script:alert(1)">x</a>'),
    ("js-href-vertical-tab-in-scheme", '<a href="java\x0bscript:alert(1)">x</a>'),
    ("js-href-leading-control-char", '<a href="&#14;  javascript:alert(1)">x</a>'),
    ("js-href-leading-space", '<a href="   javascript:alert(1)">x</a>'),
    ("js-href-zero-width-space", '<a href="\u200bjavascript:alert(1)">x</a>'),
    ("js-href-percent-encoded", '<a href="%6A%61vascript%3Aalert(1)">x</a>'),
    ("js-href-all-decimal-entities", f'<a href="{_JS_DECIMAL}">x</a>'),
    ("js-href-unquoted", "<a href=javascript:alert(1)>x</a>"),
    ("js-href-duplicate-attribute", '<a href="javascript:alert(1)" href="/safe">x</a>'),
    ("js-href-with-onmouseover-text", '<a onmouseover="alert(document.cookie)">xxs link</a>'),
    # javascript: links, markdown.
    ("md-link-js", "[x](javascript:alert(1))"),
    ("md-link-js-mixed-case", "[x](JaVaScRiPt:alert(1))"),
    ("md-link-js-colon-decimal", "[x](javascript&#58;alert(1))"),
    ("md-link-js-colon-hex", "[x](javascript&#x3a;alert(1))"),
    ("md-link-js-colon-named", "[x](javascript&colon;alert(1))"),
    ("md-link-js-angle-brackets", "[x](<javascript:alert(1)>)"),
    ("md-link-js-leading-space", "[x]( javascript:alert(1))"),
    ("md-link-js-tab-in-scheme", "[x](java\tscript:alert(1))"),
    ("md-link-js-percent-colon", "[x](javascript%3Aalert(1))"),
    ("md-link-js-with-title", '[x](javascript:alert(1) "title")'),
    ("md-link-js-around-image", "[![a](/x.png)](javascript:alert(1))"),
    ("md-link-js-in-list", "- [x](javascript:alert(1))"),
    ("md-reference-link-js", "[x][ref]\n\n[ref]: javascript:alert(1)"),
    ("md-reference-link-js-upper-titled", '[x][ref]\n\n[ref]: JAVASCRIPT:alert(1) "t"'),
    ("md-autolink-js", "<javascript:alert(1)>"),
    ("md-autolink-js-upper", "<JAVASCRIPT:alert(1)>"),
    # vbscript: and data: URIs.
    ("vbscript-href", '<a href="vbscript:msgbox(1)">x</a>'),
    ("md-link-vbscript", "[x](VBScript:msgbox(1))"),
    ("md-autolink-vbscript", "<vbscript:msgbox(1)>"),
    ("data-href-html", '<a href="data:text/html,<script>alert(1)</script>">x</a>'),
    ("md-link-data-html-base64", f"[x](data:text/html;base64,{_HTML_B64})"),
    ("md-link-data-svg", f"[x](data:image/svg+xml;base64,{_SVG_B64})"),
    ("md-image-data-svg", f"![x](data:image/svg+xml;base64,{_SVG_B64})"),
    ("md-image-data-png", "![x](data:image/png;base64,iVBORw0KGgo=)"),
    ("img-data-html", '<img src="data:text/html;base64,' + _HTML_B64 + '">'),
    ("md-autolink-data", f"<data:text/html;base64,{_HTML_B64}>"),
    # bleach's linkifier knows only real TLDs, hence .com rather than .example here.
    ("linkify-data-scheme", "data:evil.com/html,hello"),
    ("linkify-other-schemes", "ssh://evil.com and callto:evil.com or feed:evil.com"),
    ("meta-refresh-data", (
        '<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,'
        'PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">'
    )),
    # Images: scheme tricks and attribute injection.
    ("img-onerror-raw", "<img src=x onerror=alert(1)>"),
    ("img-onerror-eval-src", "<img src=x:alert(alt) onerror=eval(src) alt=0>"),
    ("img-js-src", "<IMG SRC=\"javascript:alert('XSS');\">"),
    ("img-js-src-unquoted-mixed-case", "<IMG SRC=JaVaScRiPt:alert('XSS')>"),
    ("img-js-src-backticks", "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>"),
    ("img-js-src-decimal-entities", f"<IMG SRC={_JS_DECIMAL}>"),
    ("img-js-src-padded-decimal-entities", f"<IMG SRC={_JS_DECIMAL_PADDED}>"),
    ("img-js-src-hex-entities", f"<IMG SRC={_JS_HEX}>"),
    ("img-js-src-tab", "<IMG SRC=\"jav\tascript:alert('XSS');\">"),
    ("img-js-src-comment-split", "<IMG SRC=\"javas<!-- -->cript:alert('XSS')\">"),
    ("img-onerror-entity-payload", f'<img src=x onerror="{_JS_DECIMAL_PADDED}">'),
    ("img-empty-src-onmouseover", "<IMG SRC= onmouseover=\"alert('xxs')\">"),
    ("img-hash-src-onmouseover", "<IMG SRC=# onmouseover=\"alert('xxs')\">"),
    ("img-quote-soup", '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>'),
    ("img-dynsrc-lowsrc", "<IMG DYNSRC=\"javascript:alert(1)\" LOWSRC=\"javascript:alert(1)\">"),
    ("img-srcset-remote", '<img src="/x.png" srcset="https://evil.example/x.png 1x">'),
    ("img-remote-https", '<img src="https://evil.example/track.png">'),
    ("img-protocol-relative", '<img src="//evil.example/track.png">'),
    ("img-protocol-relative-leading-space", '<img src=" //evil.example/track.png">'),
    ("img-backslash-host", '<img src="/\\evil.example/track.png">'),
    ("img-encoded-slash-host", '<img src="/&#47;evil.example/track.png">'),
    ("img-tab-entity-in-scheme", '<img src="http&#9;://evil.example/track.png">'),
    ("img-entity-first-letter", '<img src="&#104;ttp://evil.example/track.png">'),
    ("img-encoded-backslash-host", '<img src="/&#92;evil.example/track.png">'),
    ("img-leading-control-entity", '<img src="&#1;//evil.example/track.png">'),
    ("img-leading-control-raw", '<img src="\x01//evil.example/track.png">'),
    ("img-newline-entity-in-slashes", '<img src="/&#10;/evil.example/track.png">'),
    ("md-image-js", "![x](javascript:alert(1))"),
    ("md-image-remote", "![x](https://evil.example/track.png)"),
    ("md-image-protocol-relative", "![x](//evil.example/track.png)"),
    ("md-image-encoded-slash-host", "![x](/&#47;evil.example/track.png)"),
    ("md-image-encoded-colon", "![x](http&#58;//evil.example/track.png)"),
    ("md-image-title-onerror", '![a](/x.png "onerror=alert(1) x")'),
    ("md-image-title-quote-breakout", '![a](/x.png "\\" onerror=\\"alert(1)")'),
    ("md-image-title-single-quote-breakout", "![a](/x.png 'x\\' onerror=\\'alert(1)')"),
    ("md-image-alt-quote-breakout", '![a" onerror="alert(1)](/x.png)'),
    ("md-image-src-quote-breakout", '![a](/x.png"onerror="alert(1))'),
    ("md-link-title-quote-breakout", '[a](/x "\\" onmouseover=\\"alert(1)")'),
    ("md-reference-image-js", "![a][img]\n\n[img]: javascript:alert(1)"),
    # Dangerous tags.
    ("svg-onload", "<svg/onload=alert('XSS')>"),
    ("svg-script", "<svg><script>alert(1)</script></svg>"),
    ("svg-xlink-js", (
        '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>'
    )),
    ("math-href-js", '<math href="javascript:alert(1)">CLICKME</math>'),
    ("math-xlink-js", '<math><a xlink:href="javascript:alert(1)">x</a></math>'),
    ("style-import", "<style>@import 'javascript:alert(1)';</style>"),
    ("style-list-image", (
        "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE>"
        "<UL><LI>XSS</br>"
    )),
    ("iframe-js", "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>"),
    ("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("iframe-unclosed", "<iframe src=http://xss.rocks/scriptlet.html <"),
    ("frameset", "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>"),
    ("object-data", '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/x.html"></OBJECT>'),
    ("embed-svg-data", (
        f'<EMBED SRC="data:image/svg+xml;base64,{_SVG_B64}" type="image/svg+xml" '
        'AllowScriptAccess="always"></EMBED>'
    )),
    ("form-action-js", '<form action="javascript:alert(1)"><input type=submit></form>'),
    ("button-formaction-js", '<button formaction="javascript:alert(1)">x</button>'),
    ("input-image-js", "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">"),
    ("base-href", '<base href="//evil.example/">'),
    ("meta-refresh-js", (
        "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">"
    )),
    ("link-stylesheet-js", "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">"),
    ("body-onload", "<BODY ONLOAD=alert('XSS')>"),
    ("body-onload-junk-name", "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>"),
    ("body-background-js", "<BODY BACKGROUND=\"javascript:alert('XSS')\">"),
    ("bgsound-js", "<BGSOUND SRC=\"javascript:alert('XSS');\">"),
    ("table-background-js", "<TABLE BACKGROUND=\"javascript:alert('XSS')\"><TD>x</TD></TABLE>"),
    ("td-background-js", "<TABLE><TD BACKGROUND=\"javascript:alert('XSS')\">x</TD></TABLE>"),
    ("xml-island", "<XML ID=\"xss\"><I><B><IMG SRC=\"javas<!-- -->cript:alert('XSS')\"></B></I></XML>"),
    ("template-script", "<template><script>alert(1)</script></template>"),
    ("textarea-breakout", "<textarea></textarea><img src=x onerror=alert(1)></textarea>"),
    ("title-img", "<title><img src=x onerror=alert(1)></title>"),
    ("xmp-img", "<xmp><img src=x onerror=alert(1)></xmp>"),
    ("plaintext-img", "<plaintext><img src=x onerror=alert(1)>"),
    ("cdata-script", "<![CDATA[<script>alert(1)</script>]]>"),
    ("xml-pi-script", '<?xml version="1.0"?><script>alert(1)</script>'),
    # Mutation XSS.
    ("mxss-svg-p-style", "<svg><p><style><img src=x onerror=alert(1)>"),
    ("mxss-math-mglyph-style", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    ("mxss-math-mglyph-comment", (
        "<math><mtext><table><mglyph><style><!--</style>"
        '<img title="--&gt;&lt;img src=1 onerror=alert(1)&gt;">'
    )),
    ("mxss-form-math-svg", (
        '<form><math><mtext></form><form><mglyph><svg><mtext><style><path id="</style>'
        '<img onerror=alert(1) src>">'
    )),
    ("mxss-noscript-title", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    ("mxss-noscript-style", "<noscript><style></noscript><img src=x onerror=alert(1)>"),
    ("mxss-math-style-cve-2020-6816", "<math><style><img src=x onerror=alert(1)></style></math>"),
    ("mxss-svg-style-cve-2021-23980", (
        '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">'
    )),
    ("mxss-select-style", "<select><style></select><img src=x onerror=alert(1)>"),
    ("comment-short-close", "<!--><img src=x onerror=alert(1)-->"),
    ("comment-in-title", '<a href="x" title="--><script>alert(1)</script>">x</a>'),
    ("comment-in-img-src", '<!--<img src="--><img src=x onerror=alert(1)//">'),
    ("comment-bang-close", "<!-- x --!><img src=x onerror=alert(1)>"),
    ("comment-conditional", "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->"),
    # Escaped tags that must stay text.
    ("escaped-named-entities", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("escaped-numeric-entities", "&#60;script&#62;alert(1)&#60;/script&#62;"),
    ("escaped-javascript-unicode", "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"),
    ("fullwidth-angle-brackets", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e"),
    ("markdown-backslash-escaped", "\\<script>alert(1)\\</script>"),
    ("double-encoded-img", "&amp;lt;img src=x onerror=alert(1)&amp;gt;"),
    # Event attributes and style on allowed tags.
    ("a-onclick", '<a href="/x" onclick="alert(1)">x</a>'),
    ("a-onclick-uppercase", '<a href="/x" ONCLICK=alert(1)>x</a>'),
    ("p-onmouseover", '<p onmouseover="alert(1)">x</p>'),
    ("div-onclick", "<div onclick=alert(1)>x</div>"),
    ("strong-slash-onmouseover", "<strong/onmouseover=alert(1)>x</strong>"),
    ("p-onmouseover-newline", "<p onmouseover\n=alert(1)>x</p>"),
    ("strong-inside-markdown", "**<img src=x onerror=alert(1)>**"),
    ("table-cell-img-onerror", "| a |\n|---|\n| <img src=x onerror=alert(1)> |"),
    ("style-expression", '<p style="width: expression(alert(1))">x</p>'),
    ("style-url-js", '<span style="background:url(javascript:alert(1))">x</span>'),
    ("style-div-background-js", "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">"),
    ("style-behavior", '<div style="behavior: url(x.htc)">x</div>'),
    ("style-on-img", "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\" src=\"/x.png\">"),
    # Class spoofing of the site's own CSS.
    ("class-span-btn", '<span class="btn">Log in</span>'),
    ("class-span-nav", '<span class="nav">x</span>'),
    ("class-span-token-plus-site", '<span class="k btn">x</span>'),
    ("class-div-site", '<div class="modal-backdrop">x</div>'),
    ("class-div-highlight-plus-site", '<div class="highlight admin-only">x</div>'),
    ("class-code-language-plus-site", '<code class="language-x btn">x</code>'),
    ("class-p-alert", '<p class="alert alert-danger">x</p>'),
    # Code must be shown, never run.
    ("fenced-code-script", "```\n<script>alert(1)</script>\n```"),
    ("fenced-code-html-script", "```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```"),
    ("fenced-code-language-injection", '```" onmouseover="alert(1)\nx\n```'),
    ("fenced-code-language-scheme", "```javascript:alert(1)\nx\n```"),
    ("indented-code-script", "    <script>alert(1)</script>"),
    ("inline-code-script", "`<script>alert(1)</script>`"),
    ("code-tag-wrapping-link", '<code><a href="https://spam.example" rel="me">x</a></code>'),
    ("pre-wrapping-link", '<pre><a href="javascript:alert(1)">x</a></pre>'),
    # Links: rel, target and linkify edge cases.
    ("a-rel-opener", '<a href="https://evil.example" rel="opener">x</a>'),
    ("a-target-blank", '<a href="https://evil.example" target="_blank">x</a>'),
    ("a-no-href", '<a name="x" id="y">x</a>'),
    ("a-protocol-relative", '<A HREF="//www.google.com/">XSS</A>'),
    ("linkify-js-then-domain", "javascript:alert(1)//example.com"),
    ("linkify-quote-breakout", 'http://example.com/"onclick="alert(1)'),
    ("linkify-then-script", "www.example.com<script>alert(1)</script>"),
    ("linkify-email-quote-breakout", 'foo@example.com"onmouseover="alert(1)'),
    ("linkify-email-script-local-part", '"<script>alert(1)</script>"@example.com'),
    ("linkify-unicode-line-separator", "javascript\u2028:alert(1) http://example.com"),
]

XSS_VECTORS = [pytest.param(payload, id=name) for name, payload in _CORPUS]


# --- The checker ---------------------------------------------------------------------

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
_URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:")
# What Pygments' HTML formatter may put on a span, and nothing else.
PYGMENTS_CLASSES = frozenset(STANDARD_TYPES.values()) - {""}


def normalize_url(value: str) -> str:
    """What a browser's URL parser acts on, more or less, erring towards suspicion.

    html.parser has already decoded character references in attribute values (as a
    browser does); here every whitespace and control/format character is removed
    (browsers drop tabs and newlines anywhere and C0 controls at the ends) and case is
    folded, since schemes are case-insensitive.
    """
    kept = (
        ch for ch in value
        if not (ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"})
    )
    return "".join(kept).lower()


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.end_tags: list[str] = []
        self.others: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_endtag(self, tag):
        self.end_tags.append(tag)

    def handle_comment(self, data):
        self.others.append(f"comment {data!r}")

    def handle_decl(self, decl):
        self.others.append(f"declaration {decl!r}")

    def handle_pi(self, data):
        self.others.append(f"processing instruction {data!r}")

    def unknown_decl(self, data):
        self.others.append(f"unknown declaration {data!r}")


def _parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def _class_allowed(tag: str, value: str | None) -> bool:
    if tag == "div":
        return value == "highlight"
    if tag == "span":
        return value in PYGMENTS_CLASSES
    if tag == "code":
        return value is not None and re.fullmatch(r"language-[a-z0-9+#-]{1,30}", value) is not None
    return False


def violations(html: str) -> dict[str, list[str]]:
    """Every way the HTML breaks the pipeline's contract, grouped by rule."""
    parsed = _parse(html)
    found: dict[str, list[str]] = {
        "tags": [], "events": [], "style": [], "schemes": [], "images": [], "rel": [],
        "classes": [],
    }
    for tag in [tag for tag, _ in parsed.elements] + parsed.end_tags:
        if tag not in markup.ALLOWED_TAGS:
            found["tags"].append(f"<{tag}> is not allowed")
    found["tags"].extend(parsed.others)
    for tag, attrs in parsed.elements:
        names = [name for name, _ in attrs]
        for name, value in attrs:
            if name.startswith("on"):
                found["events"].append(f"<{tag} {name}={value!r}>")
            if name == "style":
                found["style"].append(f"<{tag} style={value!r}>")
            if name in {"href", "src"}:
                url = normalize_url(value or "")
                scheme = _URL_SCHEME.match(url)
                if url.startswith(DANGEROUS_SCHEMES) or (
                    scheme and scheme.group()[:-1] not in markup.ALLOWED_PROTOCOLS
                ):
                    found["schemes"].append(f"<{tag} {name}={value!r}>")
            if name == "class" and not _class_allowed(tag, value):
                found["classes"].append(f"<{tag} class={value!r}>")
        if tag == "img":
            for name, value in attrs:
                if name != "src":
                    continue
                # Browsers read "\" as "/" in http(s) URLs, so "/\host" is "//host".
                url = normalize_url(value or "").replace("\\", "/")
                if _URL_SCHEME.match(url) or url.startswith("//"):
                    found["images"].append(f"<img src={value!r}> is not same-site")
        if tag == "a":
            rels = [value for name, value in attrs if name == "rel"]
            if rels != [markup.LINK_REL]:
                found["rel"].append(f"<a> has rel {rels!r}, attributes {names!r}")
    return found


@cache
def _rendered(payload: str) -> str:
    return str(markup.render(payload))


@cache
def _violations_of(payload: str) -> dict[str, list[str]]:
    return violations(_rendered(payload))


# --- The checker checks something ----------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "html"),
    [
        ("tags", "<p><script>alert(1)</script></p>"),
        ("tags", "<svg></svg>"),
        ("tags", "<p><!-- hi --></p>"),
        ("events", '<p onclick="alert(1)">x</p>'),
        ("style", '<p style="color: red">x</p>'),
        ("schemes", '<a href="jav&#x09;ascript:alert(1)" rel="nofollow ugc noopener">x</a>'),
        ("schemes", '<a href=" DATA:text/html,x" rel="nofollow ugc noopener">x</a>'),
        ("schemes", '<img src="vbscript:msgbox(1)">'),
        ("schemes", '<a href="ssh://evil.com" rel="nofollow ugc noopener">x</a>'),
        ("images", '<img src="//evil.example/x.png">'),
        ("images", '<img src="/\\evil.example/x.png">'),
        ("images", '<img src="https://evil.example/x.png">'),
        ("images", '<img src="/&#47;evil.example/x.png">'),
        ("rel", '<a href="/x">x</a>'),
        ("rel", '<a href="/x" rel="nofollow">x</a>'),
        ("classes", '<span class="btn">x</span>'),
        ("classes", '<p class="k">x</p>'),
    ],
)
def test_the_checker_flags_each_kind_of_unsafe_markup(rule, html):
    assert violations(html)[rule], f"the checker let {html!r} through"


def test_the_checker_accepts_markup_the_pipeline_allows():
    html = (
        '<h2>T</h2><p><a href="https://example.org/" rel="nofollow ugc noopener">x</a> '
        '<img alt="a" src="/media/x.png" title="t"></p>'
        '<div class="highlight"><pre><span class="k">def</span></pre></div>'
        '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'
    )
    assert violations(html) == {rule: [] for rule in violations(html)}


def test_the_corpus_is_large_and_every_vector_has_its_own_name():
    names = [name for name, _ in _CORPUS]
    assert len(names) >= 80
    assert len(set(names)) == len(names)
    assert len({payload for _, payload in _CORPUS}) == len(names)


# --- The corpus against render() -----------------------------------------------------


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_no_tag_outside_the_allowlist_survives(payload):
    assert _violations_of(payload)["tags"] == [], _rendered(payload)


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_no_event_handler_attribute_survives(payload):
    assert _violations_of(payload)["events"] == [], _rendered(payload)


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_no_style_attribute_survives(payload):
    assert _violations_of(payload)["style"] == [], _rendered(payload)


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_only_http_https_mailto_and_relative_urls_survive(payload):
    assert _violations_of(payload)["schemes"] == [], _rendered(payload)


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_images_only_ever_load_from_this_site(payload):
    assert _violations_of(payload)["images"] == [], _rendered(payload)


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_every_link_carries_the_user_content_rel(payload):
    assert _violations_of(payload)["rel"] == [], _rendered(payload)


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_classes_never_borrow_the_sites_own_styles(payload):
    assert _violations_of(payload)["classes"] == [], _rendered(payload)


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_sanitizing_rendered_output_again_changes_nothing(payload):
    html = _rendered(payload)
    assert str(markup.sanitize(html)) == html


def test_javascript_links_never_survive():
    """The markdown forms of javascript: links all render, but never as live links."""
    for payload in ("[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))",
                    "[x][r]\n\n[r]: javascript:alert(1)", "<javascript:alert(1)>"):
        parsed = _parse(_rendered(payload))
        hrefs = [value for tag, attrs in parsed.elements for name, value in attrs
                 if name == "href"]
        assert not any("script" in normalize_url(href or "") for href in hrefs), payload


def test_code_containing_script_is_shown_as_text():
    parsed = _Text()
    parsed.feed(_rendered("```html\n<script>alert(1)</script>\n```"))
    assert "script" not in parsed.tags
    assert "<script>alert(1)</script>" in parsed.text


# --- Real markdown still works -------------------------------------------------------


class _Text(HTMLParser):
    """Collects start tags with attributes and the decoded text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text += data

    def attrs_of(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.attrs if name == tag]


def _read(source: str) -> _Text:
    parsed = _Text()
    parsed.feed(str(markup.render(source)))
    parsed.close()
    return parsed


def test_fenced_code_is_highlighted_with_pygments_and_escaped():
    html = str(markup.render('```python\ndef greet():\n    return "<b>hi</b> & bye"\n```'))
    parsed = _read('```python\ndef greet():\n    return "<b>hi</b> & bye"\n```')
    assert {"class": "highlight"} in parsed.attrs_of("div")
    span_classes = {attrs.get("class") for attrs in parsed.attrs_of("span")}
    assert {"k", "nf", "s2"} <= span_classes
    assert "b" not in parsed.tags
    assert 'return "<b>hi</b> & bye"' in parsed.text
    assert "&lt;b&gt;hi&lt;/b&gt; &amp; bye" in html


def test_tables_render_with_alignment():
    parsed = _read("| Left | Middle | Right |\n|:-----|:------:|------:|\n| a | b | c |")
    assert {"table", "thead", "tbody", "tr", "th", "td"} <= set(parsed.tags)
    assert [attrs.get("align") for attrs in parsed.attrs_of("th")] == ["left", "center", "right"]
    assert [attrs.get("align") for attrs in parsed.attrs_of("td")] == ["left", "center", "right"]


def test_https_links_are_kept_with_the_user_content_rel():
    parsed = _read("[the docs](https://example.org/docs?a=1&b=2)")
    assert parsed.attrs_of("a") == [
        {"href": "https://example.org/docs?a=1&b=2", "rel": markup.LINK_REL}
    ]
    assert "the docs" in parsed.text


def test_bare_urls_are_linkified():
    parsed = _read("See https://example.org/page and www.example.org for more.")
    assert [attrs["href"] for attrs in parsed.attrs_of("a")] == [
        "https://example.org/page", "http://www.example.org",
    ]
    assert all(attrs["rel"] == markup.LINK_REL for attrs in parsed.attrs_of("a"))


def test_mailto_links_are_kept():
    parsed = _read("[write to us](mailto:mentors@example.org) or help@example.org")
    hrefs = [attrs["href"] for attrs in parsed.attrs_of("a")]
    assert hrefs == ["mailto:mentors@example.org", "mailto:help@example.org"]


def test_relative_images_are_kept_with_alt_and_title():
    parsed = _read('![A chart](/media/x.png "Monthly visits")')
    assert parsed.attrs_of("img") == [
        {"alt": "A chart", "src": "/media/x.png", "title": "Monthly visits"}
    ]


def test_headings_lists_blockquotes_and_emphasis_render():
    parsed = _read(
        "# Title\n\n## Part\n\n- one\n- two\n\n1. first\n2. second\n\n"
        "> quoted\n\n*soft* **strong** `code`\n\n---"
    )
    for tag in ("h1", "h2", "ul", "ol", "li", "blockquote", "em", "strong", "code", "hr"):
        assert tag in parsed.tags, tag
    assert "quoted" in parsed.text


def test_ordered_lists_keep_their_start_number():
    parsed = _read("3. third\n4. fourth")
    assert parsed.attrs_of("ol") == [{"start": "3"}]


def test_single_newlines_become_line_breaks():
    parsed = _read("first line\nsecond line")
    assert parsed.tags == ["p", "br"]
    assert parsed.text == "first line\nsecond line"


def test_over_long_sources_are_refused_not_cut():
    word = "word "
    at_limit = word * (markup.MAX_SOURCE_LENGTH // len(word))
    assert _read(at_limit).text.count("word") == markup.MAX_SOURCE_LENGTH // len(word)
    with pytest.raises(ValidationError) as error:
        markup.render(at_limit + "x" * len(word))
    assert error.value.code == "too_long"


# --- cook() --------------------------------------------------------------------------


def test_cook_returns_the_html_and_the_current_markup_version():
    cooked = markup.cook("**hi** <script>alert(1)</script>")
    assert set(cooked) == {"html", "version"}
    assert cooked["version"] == markup.MARKUP_VERSION
    assert isinstance(cooked["html"], str)
    assert cooked["html"] == str(markup.render("**hi** <script>alert(1)</script>"))
    assert [tag for tag, _ in _parse(cooked["html"]).elements] == ["p", "strong"]


def test_a_reused_converter_forgets_the_previous_text():
    # Each thread keeps one converter: a reference defined in one text must not turn a
    # bracket in the next text into a link.
    assert "evil.example" in markup.render("[site]: https://evil.example/\n\n[site][site]")
    html = markup.render("see [site][site]")
    assert "evil.example" not in html and "<a" not in html


def test_threads_convert_at_the_same_time_without_mixing_texts():
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"**{n}** [link {n}](https://example.org/{n})" for n in range(200)]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(markup.render, texts))
    assert results == [markup.render(text) for text in texts]
