// The page templates (mustache). Every view model is documented in webui/README.md.
// Long lines are broken where nothing rendered changes: between a tag's attributes, or, inside text, by a
// mustache comment that ends one line and closes on the next (`…{{!` / `}}…`), which renders as nothing.
#include "templates.h"

#include <initializer_list>
#include <string>

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
  <h1>Sự kiện{{#filtered}} {{filter_label}}{{/filtered}}</h1>
  <p class="muted">{{total}} sự kiện, mới nhất trước · trang {{page}}/{{pages}}{{#filtered}} · {{!
  }}<a href="/">xem tất cả</a>{{/filtered}}</p>
</div>
{{#has_timeline}}
<nav class="timeline" aria-label="Lọc theo thời gian">
  <p class="years"><span class="muted">Năm:</span> {{#years}}<a href="{{url}}"{{#current}} aria-current="true"{{/current}}>{{!
  }}{{label}}</a> {{/years}}</p>
  <p class="months">{{#months}}<a href="{{url}}"{{#current}} aria-current="true"{{/current}}>{{!
  }}{{label}}</a> {{/months}}</p>
</nav>
{{/has_timeline}}
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
{{^has_events}}{{#filtered}}<p class="empty">Không có sự kiện nào trong {{filter_label}}.</p>{{/filtered}}{{!
}}{{^filtered}}<div class="empty empty-archive">
  <p><strong>Kho chưa có sự kiện nào.</strong> Mỗi sự kiện là một thư mục ảnh, thường kèm bài viết đã đăng
  (<span class="path">.txt</span>, <span class="path">.docx</span> hoặc trang <span class="path">.html</span> đã lưu).
  Đặt ngày ở đầu tên thư mục để Kho xếp sự kiện theo ngày, ví dụ:</p>
  <pre class="tree">Ảnh tòa soạn/
├── 2021-01-05 Lũ ở Quảng Bình/
│   ├── bai-viet.txt        ← bài đã đăng: tiêu đề, ngày, nội dung, chú thích ảnh
│   ├── IMG_0001.JPG
│   └── IMG_0002.JPG
└── 2021-01-07 Họp báo Sở Y tế/
    └── DSC_1234.JPG        ← sự kiện không có bài: lấy ngày chụp trong EXIF</pre>
  <p>Rồi nhập cả thư mục gốc: <span class="cmd">kho ingest "Ảnh tòa soạn"</span>, và tải lại trang này.</p>
</div>{{/filtered}}{{/has_events}}
<nav class="pager">
  {{#prev_url}}<a rel="prev" href="{{prev_url}}">← Mới hơn</a>{{/prev_url}}
  {{#next_url}}<a rel="next" href="{{next_url}}">Cũ hơn →</a>{{/next_url}}
</nav>
)HTML";

const std::string_view kEventTemplate =
    R"HTML(<p class="crumbs"><a href="/">Sự kiện</a> › {{event.date_display}}</p>
<p class="jump"><a class="jump-photos" href="#photos">Xem {{photo_total}} ảnh của sự kiện ↓</a></p>
{{#first_page}}
{{#articles}}
<article class="story" id="a-{{id}}">
  <header class="story-head">
    <h1>{{title}}</h1>
    <p class="byline"><time>{{date_display}}</time>{{#author}} · <span class="author">{{author}}</span>{{/author}}</p>
  </header>
  <div class="story-body">
  {{#blocks_view}}
    {{#is_paragraph}}<p id="{{anchor}}">{{text}}</p>{{/is_paragraph}}
    {{#is_group}}<p id="{{anchor}}" class="group-caption">{{text}}</p>{{/is_group}}
    {{#is_photo}}
      {{#resolved}}
      <figure class="story-photo" data-ref="{{ref}}"{{#anchor}} id="{{anchor}}"{{/anchor}}>
        <a class="lb" href="{{photo.url}}" data-digest="{{photo.digest}}"><img src="{{photo.preview}}"{{#photo.srcset}}
           srcset="{{photo.srcset}}" sizes="(max-width: 46rem) calc(100vw - 2rem), 44rem"{{/photo.srcset}}
           alt="{{photo.alt}}" loading="lazy" decoding="async" width="{{photo.width}}" height="{{photo.height}}"></a>
        <figcaption>{{caption}}{{#credit}} <span class="credit">Ảnh: {{credit}}</span>{{/credit}}</figcaption>
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
{{/first_page}}
{{^first_page}}
<header class="story-head"><h1>{{event.title}}</h1><p class="byline"><time>{{event.date_display}}</time>{{!
  }}{{#has_articles}} · <a href="{{event.url}}">đọc bài viết</a>{{/has_articles}}</p></header>
{{/first_page}}
<section class="all-photos" id="photos" aria-labelledby="all-photos-h" tabindex="-1">
  <h2 id="all-photos-h">Tất cả ảnh của sự kiện <span class="muted">({{photo_total}})</span></h2>
  <p><a class="button download-event" href="/event/{{event.id}}/download" download>Tải cả sự kiện</a> <span
     class="muted small">ZIP: ảnh kèm chú thích + captions.csv</span></p>
  <p class="muted small"><code>{{event.folder_display}}</code>{{!
  }}{{#has_orphans}} · {{orphan_count}} ảnh không có trong bài{{/has_orphans}}{{!
  }}{{#has_unresolved}} · {{unresolved_count}} ảnh trong bài chưa tìm thấy tệp{{/has_unresolved}}</p>
  <nav class="grid-tools" aria-label="Sắp xếp và trang ảnh">
    <p class="sort-switch">Sắp xếp theo: {{#sort_links}}<a href="{{url}}"{{#current}} aria-current="true"{{/current}}>{{!
    }}{{label}}</a> {{/sort_links}}</p>
    {{#paged}}<p class="muted small">Ảnh {{photo_from}}–{{photo_to}} trong {{photo_total}} · trang {{page}}/{{pages}}</p>{{/paged}}
  </nav>
  <ul class="grid">
  {{#photos}}
    <li class="tile{{#orphan}} orphan{{/orphan}}">
      <a class="lb" href="{{url}}" data-digest="{{digest}}" data-full="{{preview}}" data-caption="{{caption}}"
         data-own="{{own_caption}}" data-group="{{group_caption}}" data-credit="{{credit}}"
         data-taken="{{taken_display}}" data-camera="{{camera}}" data-name="{{name}}" data-original="{{original}}"
         data-download="{{download}}" data-zoom="{{zoom}}"><img
         src="{{thumb}}"{{#srcset}} srcset="{{srcset}}" sizes="{{sizes}}"{{/srcset}} alt="{{alt}}"
         loading="lazy" decoding="async"></a>
      {{#orphan}}<span class="badge">Ngoài bài</span>{{/orphan}}
      <p class="tile-caption">{{#own_caption}}{{own_caption}}{{/own_caption}}{{!
      }}{{^own_caption}}{{#group_caption}}<span class="group-note">Chú thích nhóm:</span> {{!
      }}<span class="group-text">{{group_caption}}</span>{{/group_caption}}{{!
      }}{{^group_caption}}<span class="muted">{{name}}</span>{{/group_caption}}{{/own_caption}}</p>
      {{#credit}}<p class="tile-credit credit">Ảnh: {{credit}}</p>{{/credit}}
    </li>
  {{/photos}}
  </ul>
  {{#paged}}
  <nav class="pager grid-pager" aria-label="Trang ảnh">
    {{#prev_url}}<a rel="prev" href="{{prev_url}}">← Trước</a>{{/prev_url}}
    {{#page_links}}{{#gap_before}}<span class="gap">…</span>{{/gap_before}}{{!
    }}<a href="{{url}}"{{#current}} aria-current="page"{{/current}}>{{page}}</a>{{/page_links}}
    {{#next_url}}<a rel="next" href="{{next_url}}">Sau →</a>{{/next_url}}
  </nav>
  {{/paged}}
</section>
<div id="lightbox" class="lightbox" hidden role="dialog" aria-modal="true" aria-label="Xem ảnh">
  <div class="lb-bar">
    <p class="lb-count" aria-live="polite"></p>
    <button type="button" class="lb-zoom" aria-pressed="false" title="Phóng to 100% (phím Z)">100%</button>
    <button type="button" class="lb-info-toggle" aria-expanded="true" aria-controls="lb-info"
            title="Thông tin (phím I)">Thông tin</button>
    <button type="button" class="lb-close" aria-label="Đóng (Esc)">×</button>
  </div>
  <figure class="lb-figure">
    <div class="lb-stage"><img alt="" draggable="false">
      <button type="button" class="lb-prev" aria-label="Ảnh trước (←)">‹</button>
      <button type="button" class="lb-next" aria-label="Ảnh sau (→)">›</button>
    </div>
    <figcaption class="lb-info" id="lb-info">
      <p class="lb-group-label" hidden>Chú thích chung của nhóm ảnh</p>
      <p class="lb-caption"></p>
      <p class="lb-credit credit" hidden></p>
      <dl class="lb-details">
        <dt>Ngày chụp</dt><dd class="lb-taken"></dd>
        <dt>Máy ảnh</dt><dd class="lb-camera"></dd>
        <dt>Tệp</dt><dd class="lb-name"></dd>
      </dl>
      <p class="lb-actions">
        <button type="button" class="copy-caption" data-copy="">Chép chú thích và nguồn</button>
        <a class="lb-download" href="#" download>Tải ảnh gốc</a>
        <a class="lb-download-captioned" href="#" download>Tải kèm chú thích</a>
        <a class="lb-page" href="#">Trang ảnh</a>
        <span class="copy-status" role="status" aria-live="polite"></span>
      </p>
    </figcaption>
  </figure>
</div>
)HTML";

namespace {

// One duplicate cluster for review (views_dups.cc's dup_review), shared by the photo page and /dups: spliced
// into both templates at start-up, so each stays one parsed template (no partials at render time).
constexpr std::string_view kDupReview = R"HTML(<section class="cluster">
  <h2>{{kind_display}} <span class="muted small">{{kind_note}}</span></h2>
  <p class="best-reason"><strong>Vì sao chọn bản tốt nhất:</strong> {{best_reason_text}}</p>
  <ul class="cluster-photos">
  {{#photos}}
    <li class="copy{{#best}} best{{/best}}{{#current}} current{{/current}}">
      <a class="copy-image" href="{{url}}"><img src="{{preview}}" alt="{{name}}" width="{{width}}"
         height="{{height}}" loading="lazy" decoding="async"></a>
      <p class="likeness">{{#best}}<span class="badge best">Bản tốt nhất</span> {{/best}}{{!
      }}{{#current}}<span class="badge current">Ảnh đang xem</span> {{/current}}{{^best}}{{likeness}}{{/best}}</p>
      <dl>
        <dt>Tệp</dt><dd><code>{{name}}</code></dd>
        <dt>Điểm ảnh</dt><dd{{#pixels_differs}} class="diff"{{/pixels_differs}}>{{pixels_display}}{{!
        }}{{#pixels_differs}} <span class="diff-mark">khác</span>{{/pixels_differs}}</dd>
        <dt>Dung lượng</dt><dd{{#size_differs}} class="diff"{{/size_differs}}>{{size_display}}{{!
        }}{{#size_differs}} <span class="diff-mark">khác</span>{{/size_differs}}</dd>
        <dt>Ngày chụp</dt><dd{{#taken_differs}} class="diff"{{/taken_differs}}>{{taken}}{{^taken}}—{{/taken}}{{!
        }}{{#taken_differs}} <span class="diff-mark">khác</span>{{/taken_differs}}</dd>
        <dt>Máy ảnh</dt><dd{{#camera_differs}} class="diff"{{/camera_differs}}>{{camera}}{{^camera}}—{{/camera}}{{!
        }}{{#camera_differs}} <span class="diff-mark">khác</span>{{/camera_differs}}</dd>
        <dt>Ngày tệp</dt><dd{{#file_date_differs}} class="diff"{{/file_date_differs}}>{{file_date}}{{!
        }}{{^file_date}}—{{/file_date}}{{!
        }}{{#file_date_differs}} <span class="diff-mark">khác</span>{{/file_date_differs}}</dd>
        <dt>Dùng trong bài</dt><dd class="articles{{#articles_differs}} diff{{/articles_differs}}">{{!
        }}{{#articles}}<a href="{{url}}">{{title}}</a> {{/articles}}{{^articles}}chưa bài nào{{/articles}}{{!
        }}{{#articles_differs}} <span class="diff-mark">khác</span>{{/articles_differs}}</dd>
      </dl>
      {{#caption}}<blockquote>{{caption}}{{#credit}} <span {{!
      }}class="credit">Ảnh: {{credit}}</span>{{/credit}}</blockquote>{{/caption}}
    </li>
  {{/photos}}
  </ul>
</section>
)HTML";

const std::string kPhotoPage = splice({R"HTML(<p class="crumbs"><a href="/">Sự kiện</a>{{#event_url}} › <a
    href="{{event_url}}">{{event_title}}</a>{{/event_url}}</p>
{{#position}}<nav class="photo-nav" aria-label="Ảnh trong sự kiện">
  {{#prev_url}}<a rel="prev" class="button secondary" href="{{prev_url}}">← Ảnh trước</a>{{/prev_url}}{{!
  }}{{^prev_url}}<span></span>{{/prev_url}}
  <span class="muted small">Ảnh {{position}}<span class="key-hint"> của sự kiện · phím ← →</span></span>
  {{#next_url}}<a rel="next" class="button secondary" href="{{next_url}}">Ảnh sau →</a>{{/next_url}}{{!
  }}{{^next_url}}<span></span>{{/next_url}}
</nav>{{/position}}
<div class="photo-page">
  <div class="photo-main">
  <figure class="photo-preview">
    <a href="{{original}}"><img src="{{preview}}"{{#srcset}} srcset="{{srcset}}"
      sizes="(max-width: 40rem) calc(100vw - 3.5rem), (max-width: 76rem) calc((100vw - 3.5rem) * 0.67), 49rem"{{/srcset}}
      alt="{{alt}}" width="{{photo.width}}" height="{{photo.height}}"></a>
    {{#own_caption}}<figcaption>{{own_caption}}</figcaption>{{/own_caption}}
    {{#group_caption}}<figcaption class="group">{{group_caption}}</figcaption>{{/group_caption}}
  </figure>
  {{#credit}}<p class="credit">Ảnh: {{credit}}</p>{{/credit}}
  {{#copy_text}}<p class="copy-row"><button type="button" class="copy-caption" data-copy="{{copy_text}}">Chép {{!
  }}chú thích và nguồn</button> <span class="copy-status" role="status" aria-live="polite"></span></p>{{/copy_text}}
  </div>
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
      {{#group_caption}}<blockquote class="group"><span class="group-label">Chú thích nhóm:</span> {{!
      }}{{group_caption}}</blockquote>{{/group_caption}}
      {{#credit}}<p class="credit small">Ảnh: {{credit}}</p>{{/credit}}
      <p class="muted small">Tham chiếu <code>{{ref}}</code> · {{method}}</p>
    </div>
    {{/links}}
    {{^links}}<p class="muted">Chưa có bài viết nào dùng ảnh này.</p>{{/links}}
    {{#published_copies}}
    <div class="dup-row published-copy">
      <a href="{{copy_url}}"><img src="{{copy_thumb}}" alt="{{copy_name}}" loading="lazy"></a>
      <div><p><span class="badge">Bản đã đăng</span> <code>{{copy_name}}</code> · {{copy_width}}×{{copy_height}}</p>
      <p class="muted small">{{article_title}}</p></div>
    </div>
    {{/published_copies}}
    {{#gps}}<h2>Vị trí</h2><p><a href="{{map_url}}" rel="noopener noreferrer">{{display}}</a> <span
       class="muted small">(bản đồ)</span></p>{{/gps}}
    <h2>Thông tin ảnh</h2>
    <table class="meta">{{#meta_rows}}<tr><th scope="row">{{label}}</th><td>{{value}}</td></tr>{{/meta_rows}}</table>
    <h2>Tệp</h2>
    <ul class="files">{{#files}}<li><span class="path">{{path_display}}</span> <a href="{{url}}" download>Tải tệp</a></li>{{/files}}</ul>
    <h2>Ảnh trùng</h2>
    {{#review}}<p><a href="#dup-review">So sánh {{count}} bản bên dưới</a></p>{{/review}}
    {{^review}}<p class="muted">Không có ảnh trùng.</p>{{/review}}
  </aside>
</div>
{{#review}}<div id="dup-review" class="dup-review">
<h2 class="section-title">Các bản trùng của ảnh này</h2>
)HTML",
                                       kDupReview, R"HTML(</div>{{/review}}
{{{team_html}}}
)HTML"});

const std::string kDupsPage = splice({R"HTML(<div class="page-head">
  <h1>Ảnh trùng lặp</h1>
  <p class="muted">{{total}} nhóm · bản tốt nhất được đánh dấu, kèm lý do; không có gì bị xóa</p>
</div>
{{#clusters}}
)HTML",
                                      kDupReview, R"HTML({{/clusters}}
{{^clusters}}<p class="empty">Không có ảnh trùng lặp.</p>{{/clusters}}
<nav class="pager">
  {{#prev_url}}<a rel="prev" href="{{prev_url}}">← Trước</a>{{/prev_url}}
  {{#next_url}}<a rel="next" href="{{next_url}}">Sau →</a>{{/next_url}}
</nav>
)HTML"});

}  // namespace

const std::string_view kPhotoTemplate = kPhotoPage;
const std::string_view kDupsTemplate = kDupsPage;

const std::string_view kErrorTemplate = R"HTML(<div class="page-head error">
  <h1>{{status}} · {{heading}}</h1>
  <p>{{message}}</p>
  {{#detail}}<p class="muted small">Chi tiết: {{detail}}</p>{{/detail}}
  <p><a href="/">← Về trang sự kiện</a></p>
</div>
)HTML";

}  // namespace kho::web
