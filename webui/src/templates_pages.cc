// The page templates (mustache). Every view model is documented in webui/README.md.
// Long lines are broken where nothing rendered changes: between a tag's attributes, or, inside text, by a
// mustache comment that ends one line and closes on the next (`…{{!` / `}}…`), which renders as nothing.
#include "templates.h"

namespace kho::web {

const std::string_view kLayoutTemplate = R"HTML(<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{page_title}} · Kho</title>
<link rel="stylesheet" href="/static/kho.css?v={{asset_version}}">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
</head>
<body class="page-{{page_kind}}">
<header class="masthead">
  <div class="masthead-inner">
    <a class="brand" href="/"><span class="brand-mark">Kho</span><span
       class="brand-sub">Lưu trữ ảnh &amp; chú thích</span></a>
    <nav class="nav">
      <a href="/"{{#nav_events}} aria-current="page"{{/nav_events}}>Sự kiện</a>
      <a href="/dups"{{#nav_dups}} aria-current="page"{{/nav_dups}}>Ảnh trùng</a>
      {{#is_editor}}<a href="/workbench"{{#nav_workbench}} aria-current="page"{{/nav_workbench}}>Bàn làm việc</a>{{/is_editor}}
    </nav>
    <form class="searchbox" action="/search" method="get" role="search">
      <input type="search" name="q" value="{{q}}" placeholder="Tìm chú thích, bài viết…"
             aria-label="Tìm kiếm">
      <button type="submit">Tìm</button>
    </form>
    {{#user}}<form class="account" action="/logout" method="post"><span class="account-name">{{user}}</span><input
      type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Đăng xuất</button></form>{{/user}}
  </div>
</header>
<main class="main">
{{{content}}}
</main>
<footer class="footer">Kho · kho ảnh tòa soạn · <a href="{{api_url}}">JSON</a></footer>
<script src="/static/kho.js?v={{asset_version}}" defer></script>
{{#user}}<script src="/static/team.js?v={{asset_version}}" defer></script>{{/user}}
</body>
</html>
)HTML";

const std::string_view kHomeTemplate = R"HTML(<div class="page-head">
  <h1>Sự kiện</h1>
  <p class="muted">{{total}} sự kiện, mới nhất trước · trang {{page}}/{{pages}}</p>
</div>
{{#has_events}}
<ol class="event-list">
{{#events}}
  <li class="event-card">
    <a class="event-cover" href="{{url}}" tabindex="-1" aria-hidden="true">
      {{#cover_thumb}}<img src="{{cover_thumb}}" alt="" loading="lazy" decoding="async">{{/cover_thumb}}
      {{^cover_thumb}}<span class="no-cover">Không có ảnh</span>{{/cover_thumb}}
    </a>
    <div class="event-text">
      <p class="kicker"><time>{{date_display}}</time> · {{photo_count}} ảnh</p>
      <h2><a href="{{url}}">{{title}}</a></h2>
      <p class="excerpt">{{excerpt}}</p>
    </div>
  </li>
{{/events}}
</ol>
{{/has_events}}
{{^has_events}}<p class="empty">Kho chưa có sự kiện nào. Nhập ảnh bằng {{!
}}<code>kho ingest THƯ_MỤC</code>.</p>{{/has_events}}
<nav class="pager">
  {{#prev_url}}<a rel="prev" href="{{prev_url}}">← Mới hơn</a>{{/prev_url}}
  {{#next_url}}<a rel="next" href="{{next_url}}">Cũ hơn →</a>{{/next_url}}
</nav>
)HTML";

const std::string_view kEventTemplate =
    R"HTML(<p class="crumbs"><a href="/">Sự kiện</a> › {{event.date_display}}</p>
{{#articles}}
<article class="story" id="a-{{id}}">
  <header class="story-head">
    <h1>{{title}}</h1>
    <p class="byline"><time>{{date_display}}</time>{{#author}} · <span class="author">{{author}}</span>{{/author}}</p>
  </header>
  <div class="story-body">
  {{#blocks_view}}
    {{#is_paragraph}}<p>{{text}}</p>{{/is_paragraph}}
    {{#is_group}}<p class="group-caption">{{text}}</p>{{/is_group}}
    {{#is_photo}}
      {{#resolved}}
      <figure class="story-photo" data-ref="{{ref}}">
        <a class="lb" href="{{photo.url}}" data-digest="{{photo.digest}}"><img src="{{photo.preview}}"
           alt="{{photo.alt}}" loading="lazy" decoding="async" width="{{photo.width}}" height="{{photo.height}}"></a>
        <figcaption>{{caption}}{{#credit}} <span class="credit">{{credit}}</span>{{/credit}}</figcaption>
      </figure>
      {{/resolved}}
      {{^resolved}}
      <figure class="story-photo unresolved" data-ref="{{ref}}">
        <div class="missing"><strong>Không tìm thấy ảnh</strong> · chưa liên kết<br>{{!
        }}<code>{{ref}}</code></div>
        <figcaption>{{caption}}</figcaption>
      </figure>
      {{/resolved}}
    {{/is_photo}}
  {{/blocks_view}}
  </div>
</article>
{{/articles}}
{{^articles}}
<header class="story-head"><h1>{{event.title}}</h1><p
  class="byline"><time>{{event.date_display}}</time> · chưa có bài viết</p></header>
{{/articles}}
<section class="all-photos" aria-labelledby="all-photos-h">
  <h2 id="all-photos-h">Tất cả ảnh của sự kiện <span class="muted">({{photo_total}})</span></h2>
  <p><a class="button download-event" href="/event/{{event.id}}/download" download>Tải cả sự kiện</a> <span
     class="muted small">ZIP: ảnh kèm chú thích + captions.csv</span></p>
  <p class="muted small"><code>{{event.folder_display}}</code>{{!
  }}{{#has_orphans}} · {{orphan_count}} ảnh không có trong bài{{/has_orphans}}{{!
  }}{{#has_unresolved}} · {{unresolved_count}} ảnh trong bài chưa tìm thấy tệp{{/has_unresolved}}</p>
  <ul class="grid">
  {{#photos}}
    <li class="tile{{#orphan}} orphan{{/orphan}}">
      <a class="lb" href="{{url}}" data-digest="{{digest}}" data-full="{{preview}}" data-caption="{{caption}}"><img
         src="{{thumb}}" alt="{{alt}}" loading="lazy" decoding="async"></a>
      {{#orphan}}<span class="badge">Ngoài bài</span>{{/orphan}}
      <p class="tile-caption">{{#caption}}{{caption}}{{/caption}}{{!
      }}{{^caption}}<span class="muted">{{name}}</span>{{/caption}}</p>
    </li>
  {{/photos}}
  </ul>
</section>
<div id="lightbox" class="lightbox" hidden role="dialog" aria-modal="true" aria-label="Xem ảnh">
  <button type="button" class="lb-close" aria-label="Đóng (Esc)">×</button>
  <button type="button" class="lb-prev" aria-label="Ảnh trước (←)">‹</button>
  <figure class="lb-figure"><img alt=""><figcaption></figcaption><p class="lb-count"></p></figure>
  <button type="button" class="lb-next" aria-label="Ảnh sau (→)">›</button>
</div>
{{{team_html}}}
)HTML";

const std::string_view kPhotoTemplate =
    R"HTML(<p class="crumbs"><a href="/">Sự kiện</a>{{#event_url}} › <a
    href="{{event_url}}">{{event_title}}</a>{{/event_url}}</p>
<div class="photo-page">
  <figure class="photo-preview">
    <a href="{{original}}"><img src="{{preview}}" alt="{{alt}}"></a>
    {{#caption}}<figcaption>{{caption}}</figcaption>{{/caption}}
  </figure>
  <aside class="photo-side">
    <h1 class="photo-name">{{name}}</h1>
    <p><a class="button" href="{{original}}" download>Tải ảnh gốc</a> <span
       class="muted small">{{size_display}}</span></p>
    <p><a class="button download-captioned" href="/photo/{{photo.digest}}/download" download>Tải ảnh kèm chú
       thích</a> <span class="muted small">IPTC/XMP</span></p>
    <h2>Đăng trong bài</h2>
    {{#links}}
    <div class="pub">
      <p><a href="{{event_url}}">{{article_title}}</a> <time class="muted">{{date_display}}</time></p>
      {{#caption}}<blockquote>{{caption}}</blockquote>{{/caption}}
      {{#group_caption}}<blockquote class="group">{{group_caption}}</blockquote>{{/group_caption}}
      <p class="muted small">Tham chiếu <code>{{ref}}</code> · {{method}}</p>
    </div>
    {{/links}}
    {{^links}}<p class="muted">Chưa có bài viết nào dùng ảnh này.</p>{{/links}}
    {{#gps}}<h2>Vị trí</h2><p><a href="{{map_url}}" rel="noopener noreferrer">{{display}}</a> <span
       class="muted small">(bản đồ)</span></p>{{/gps}}
    <h2>Thông tin ảnh</h2>
    <table class="meta">{{#meta_rows}}<tr><th scope="row">{{label}}</th><td>{{value}}</td></tr>{{/meta_rows}}</table>
    <h2>Tệp</h2>
    <ul class="files">{{#files}}<li><code>{{path}}</code></li>{{/files}}</ul>
    <h2>Ảnh trùng</h2>
    {{#duplicates}}
    <div class="dup-row">
      <a href="{{url}}"><img src="{{thumb}}" alt="{{name}}" loading="lazy"></a>
      <div><p><code>{{name}}</code> · khoảng cách {{distance}} · {{width}}×{{height}}{{#best}} <span
         class="badge best">Bản tốt nhất</span>{{/best}}</p>
      {{#links}}{{#caption}}<blockquote>{{caption}}</blockquote>{{/caption}}{{!
      }}{{^caption}}{{#group_caption}}<blockquote class="group">{{group_caption}}</blockquote>{{/group_caption}}{{!
      }}{{/caption}}{{/links}}</div>
    </div>
    {{/duplicates}}
    {{^duplicates}}<p class="muted">Không có ảnh trùng.</p>{{/duplicates}}
  </aside>
</div>
{{{team_html}}}
)HTML";

const std::string_view kDupsTemplate = R"HTML(<div class="page-head">
  <h1>Ảnh trùng lặp</h1>
  <p class="muted">{{total}} nhóm · bản tốt nhất được đánh dấu; không có gì bị xóa</p>
</div>
{{#clusters}}
<section class="cluster">
  <h2>{{#is_exact}}Trùng hoàn toàn <span class="muted small">cùng nội dung, nhiều tệp</span>{{/is_exact}}{{!
  }}{{^is_exact}}Gần giống <span
      class="muted small">bản sao đã sửa, thu nhỏ hoặc nén lại</span>{{/is_exact}}</h2>
  <ul class="cluster-photos">
  {{#photos}}
    <li class="copy{{#best}} best{{/best}}">
      <a href="{{url}}"><img src="{{thumb}}" alt="{{name}}" loading="lazy" decoding="async"></a>
      {{#best}}<span class="badge best">Bản tốt nhất</span>{{/best}}
      <dl>
        <dt>Tệp</dt><dd><code>{{name}}</code></dd>
        <dt>Độ phân giải</dt><dd>{{width}} × {{height}}</dd>
        <dt>Dung lượng</dt><dd>{{size_display}}</dd>
        <dt>Ngày chụp</dt><dd>{{taken}}</dd>
        <dt>Khoảng cách</dt><dd>{{distance}}</dd>
      </dl>
      {{#caption}}<blockquote>{{caption}}</blockquote>{{/caption}}
    </li>
  {{/photos}}
  </ul>
</section>
{{/clusters}}
{{^clusters}}<p class="empty">Không có ảnh trùng lặp.</p>{{/clusters}}
<nav class="pager">
  {{#prev_url}}<a rel="prev" href="{{prev_url}}">← Trước</a>{{/prev_url}}
  {{#next_url}}<a rel="next" href="{{next_url}}">Sau →</a>{{/next_url}}
</nav>
)HTML";

const std::string_view kSearchTemplate = R"HTML(<div class="page-head">
  {{#has_query}}<h1>Kết quả cho “{{query}}”</h1><p class="muted">{{count}}{{#more}}+{{/more}} kết quả · {{!
  }}tiêu đề, rồi chú thích, rồi nội dung; đúng dấu trước</p>{{/has_query}}
  {{^has_query}}<h1>Tìm kiếm</h1><p class="muted">Gõ có dấu hoặc không dấu: <em>thanh hoa</em> {{!
  }}tìm được “Thanh Hóa”.</p>{{/has_query}}
</div>
{{#groups}}
<section class="result-group">
  <h2>{{#event_url}}<a href="{{event_url}}">{{#event_title}}{{event_title}}{{/event_title}}{{!
  }}{{^event_title}}Sự kiện{{/event_title}}</a>{{/event_url}}{{!
  }}{{^event_url}}Ảnh không thuộc sự kiện{{/event_url}} {{!
  }}<time class="muted small">{{event_date}}</time></h2>
  <ol class="hits">
  {{#hits}}
    <li class="hit">
      {{#thumb}}<a class="hit-thumb" href="{{photo_url}}"><img src="{{thumb}}" alt="{{snippet}}"
                    loading="lazy"></a>{{/thumb}}
      <div class="hit-text">
        <p class="kicker">{{field_label}}{{#article_title}} · {{article_title}}{{/article_title}}</p>
        <p class="snippet">{{#parts}}{{#hit}}<mark>{{text}}</mark>{{/hit}}{{^hit}}{{text}}{{/hit}}{{/parts}}</p>
      </div>
    </li>
  {{/hits}}
  </ol>
</section>
{{/groups}}
{{#has_query}}{{^groups}}<p class="empty">Không tìm thấy kết quả nào.</p>{{/groups}}{{/has_query}}
)HTML";

const std::string_view kErrorTemplate = R"HTML(<div class="page-head error">
  <h1>{{status}} · {{heading}}</h1>
  <p>{{message}}</p>
  <p><a href="/">← Về trang sự kiện</a></p>
</div>
)HTML";

}  // namespace kho::web
