// The team's templates and script (templates_team.h). Every form that writes carries the session's CSRF
// token in a hidden field; no inline script and no on* attribute (the CSP forbids them): team.js adds what
// little behaviour there is.
#include "templates_team.h"
#include "templates.h"

namespace kho::web {

const std::string_view kLoginTemplate = R"HTML(<div class="login-box">
  <h1>Đăng nhập</h1>
  {{#error}}<p class="form-error" role="alert">{{error}}</p>{{/error}}
  <form class="login-form" method="post" action="/login">
    <input type="hidden" name="next" value="{{next}}">
    <label>Tên người dùng <input name="name" autocomplete="username" required value="{{name}}"></label>
    <label>Mật khẩu <input type="password" name="password" autocomplete="current-password" required></label>
    <button type="submit">Đăng nhập</button>
  </form>
  {{#public_read}}<p class="muted small">Hoặc <a href="/">xem kho mà không đăng nhập</a> (chỉ xem).</p>{{/public_read}}
</div>
)HTML";

const std::string_view kPhotoTeamTemplate = R"HTML(<section class="team" id="team" aria-labelledby="team-h">
  <h2 id="team-h">Biên tập</h2>
  {{#editor}}
  {{#conflicts}}
  <div class="conflict" role="alert">
    <p><strong>{{label}}: bài viết đã đổi sau khi được sửa.</strong> Chọn giá trị giữ lại:</p>
    <dl><dt>Bản đã sửa</dt><dd>{{in_force}}</dd><dt>Bài viết bây giờ</dt><dd>{{machine_now}}</dd></dl>
    <form method="post" action="/photo/{{digest}}/choose">
      <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="field" value="{{field}}">
      <button type="submit" name="choice" value="mine">Giữ bản đã sửa</button>
      <button type="submit" name="choice" value="machine" class="secondary">Dùng bản của bài viết</button>
    </form>
  </div>
  {{/conflicts}}
  <form class="edit-form" method="post" action="/photo/{{digest}}/edit">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <label>Chú thích <textarea name="caption" rows="4">{{caption}}</textarea></label>
    <label>Nguồn · Credit <input name="credit" value="{{credit}}"></label>
    <label>Tiêu đề · Headline <input name="headline" value="{{headline}}"></label>
    <button type="submit">Lưu chú thích</button>
  </form>
  {{#links}}
  <form class="inline-form" method="post" action="/article/{{article_id}}/link">
    <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="ref" value="{{ref}}">
    <input type="hidden" name="photo" value=""><input type="hidden" name="back" value="{{back}}">
    <button type="submit" class="secondary" data-confirm="Bỏ liên kết ảnh này khỏi bài?">Bỏ liên kết khỏi {{!
    }}“{{article_title}}”</button>
  </form>
  {{/links}}
  {{#has_duplicates}}
  <h3>Ảnh trùng</h3>
  <ul class="dup-decide">
  {{#duplicates}}
    <li><a href="{{url}}"><img src="{{thumb}}" alt="{{name}}" loading="lazy"></a>
      <form method="post" action="/dups/not-duplicate">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="a" value="{{self}}">
        <input type="hidden" name="b" value="{{digest}}"><input type="hidden" name="back" value="{{back}}">
        <button type="submit" class="secondary">Không phải ảnh trùng</button>
      </form></li>
  {{/duplicates}}
  </ul>
  <form method="post" action="/dups/best">
    <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="photo" value="{{digest}}">
    <input type="hidden" name="back" value="{{back}}">
    <button type="submit">Chọn ảnh này làm bản tốt nhất</button>
  </form>
  {{/has_duplicates}}
  {{/editor}}
  <h3>Lịch sử sửa</h3>
  {{#has_history}}
  <ol class="history">
  {{#history}}
    <li><time>{{time_display}}</time> · <strong>{{user}}</strong> · {{field_label}}{{#is_revert}} (hoàn tác #{{reverts}}){{/is_revert}}:
      <span class="old">{{old_display}}</span> → <span class="new">{{new_display}}</span> <span class="muted small">#{{seq}}</span>
      {{#editor}}<form class="inline-form" method="post" action="/correction/{{seq}}/revert">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="back" value="{{back}}">
        <button type="submit" class="secondary small" data-confirm="Hoàn tác sửa #{{seq}}?">Hoàn tác</button>
      </form>{{/editor}}</li>
  {{/history}}
  </ol>
  {{/has_history}}
  {{^has_history}}<p class="muted">Chưa ai sửa ảnh này.</p>{{/has_history}}
</section>
)HTML";

const std::string_view kEventTeamTemplate = R"HTML(<section class="team" id="team" aria-labelledby="team-h">
  <h2 id="team-h">Biên tập sự kiện</h2>
  <form class="edit-form" method="post" action="/event/{{event_id}}/edit">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <label>Tiêu đề <input name="title" value="{{title}}" required></label>
    <label>Ngày (YYYY-MM-DD) <input name="date" value="{{date}}" pattern="\d{4}-\d{2}-\d{2}.*"></label>
    <button type="submit">Lưu sự kiện</button>
  </form>
  {{#articles}}
  <h3>Ảnh trong bài “{{title}}”</h3>
  <table class="refs">
  {{#refs}}
    <tr><td><code>{{ref}}</code>{{#relinked}} <span class="badge">đã sửa</span>{{/relinked}}</td>
      <td>{{#thumb}}<img src="{{thumb}}" alt="" width="80">{{/thumb}}{{^thumb}}<span class="muted">chưa liên kết</span>{{/thumb}}</td>
      <td><form class="inline-form" method="post" action="/article/{{article_id}}/link">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="ref" value="{{ref_key}}">
        <input type="hidden" name="back" value="{{back}}">
        <select name="photo" aria-label="Ảnh cho {{ref}}"><option value="">— không ảnh nào —</option>{{!
        }}{{#choices}}<option value="{{digest}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/choices}}</select>
        <button type="submit" class="secondary">Liên kết</button>
      </form></td></tr>
  {{/refs}}
  </table>
  {{/articles}}
</section>
)HTML";

namespace {
// A reference's candidate photos, each a one-click form that links it (unresolved references and
// ambiguous originals alike).
constexpr std::string_view kCandidateForms = R"HTML(    <ul class="candidates">
    {{#candidates}}
      <li><form method="post" action="/article/{{article_id}}/link">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="ref" value="{{ref_key}}">
        <input type="hidden" name="photo" value="{{digest}}"><input type="hidden" name="back" value="/workbench">
        <button type="submit" class="candidate" title="Liên kết {{ref}} với {{name}}"><img src="{{thumb}}"
          alt="{{name}}" loading="lazy"><span>{{name}}</span>{{#why}}<small class="why">{{why}}</small>{{/why}}</button>
      </form></li>
    {{/candidates}}
    </ul>
)HTML";
}  // namespace

const std::string kWorkbenchPage = splice({R"HTML(<div class="page-head">
  <h1>Bàn làm việc</h1>
  <p class="muted">Những gì máy chưa tự quyết được. Mỗi danh sách ngắn dần khi mọi người xử lý.</p>
</div>
<section class="wb" id="unresolved" aria-labelledby="wb-unresolved">
  <h2 id="wb-unresolved">Tham chiếu chưa liên kết <span class="count">{{unresolved_count}}</span></h2>
  {{#unresolved}}
  <div class="wb-item">
    <p><a href="{{event_url}}">{{article_title}}</a> · <code>{{ref}}</code></p>
    {{#caption}}<blockquote>{{caption}}</blockquote>{{/caption}}
    {{#has_candidates}}
)HTML",
                                           kCandidateForms, R"HTML(    {{/has_candidates}}
    {{^has_candidates}}<p class="muted small">Không có ảnh gần giống trong sự kiện.</p>{{/has_candidates}}
  </div>
  {{/unresolved}}
  {{^unresolved}}<p class="empty">Không còn tham chiếu nào chưa liên kết.</p>{{/unresolved}}
</section>
<section class="wb" id="ambiguous" aria-labelledby="wb-ambiguous">
  <h2 id="wb-ambiguous">Bản gốc chưa rõ <span class="count">{{ambiguous_count}}</span></h2>
  {{#ambiguous}}
  <div class="wb-item">
    <p><a href="{{copy_url}}"><img class="wb-copy" src="{{copy_thumb}}" alt="Bản đã đăng" loading="lazy"></a>
      {{article_title}} · <code>{{ref}}</code></p>
    <p class="muted small">Bản đã đăng khớp với nhiều ảnh gốc chụp liên tiếp; máy không chọn. Chọn bản gốc đúng:</p>
)HTML",
                                           kCandidateForms, R"HTML(  </div>
  {{/ambiguous}}
  {{^ambiguous}}<p class="empty">Không có bản gốc nào chưa rõ.</p>{{/ambiguous}}
</section>
<section class="wb" id="orphans" aria-labelledby="wb-orphans">
  <h2 id="wb-orphans">Ảnh không có trong bài <span class="count">{{orphan_count}}</span></h2>
  {{#orphan_events}}
  <h3><a href="{{event_url}}">{{title}}</a> <span class="muted small">{{count}} ảnh</span></h3>
  <ul class="grid">
  {{#photos}}<li class="tile"><a href="{{url}}"><img src="{{thumb}}" alt="{{name}}" loading="lazy"></a>{{!
  }}<p class="tile-caption muted">{{name}}</p></li>{{/photos}}
  </ul>
  {{/orphan_events}}
  {{^orphan_events}}<p class="empty">Ảnh nào cũng có trong bài.</p>{{/orphan_events}}
</section>
<section class="wb" id="clusters" aria-labelledby="wb-clusters">
  <h2 id="wb-clusters">Nhóm ảnh trùng chưa xem <span class="count">{{cluster_count}}</span></h2>
  {{#clusters}}
  <div class="wb-item">
    <ul class="candidates">
    {{#photos}}<li><a href="{{url}}"><img src="{{thumb}}" alt="{{name}}" loading="lazy"><span>{{name}}</span></a>
      <form method="post" action="/dups/best">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="photo" value="{{digest}}">
        <input type="hidden" name="back" value="/workbench">
        <button type="submit" class="secondary small">Bản tốt nhất</button>
      </form></li>{{/photos}}
    </ul>
    {{#pair}}<form method="post" action="/dups/not-duplicate">
      <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="a" value="{{a}}">
      <input type="hidden" name="b" value="{{b}}"><input type="hidden" name="back" value="/workbench">
      <button type="submit" class="secondary">Không phải ảnh trùng</button>
    </form>{{/pair}}
  </div>
  {{/clusters}}
  {{^clusters}}<p class="empty">Mọi nhóm ảnh trùng đã được xem.</p>{{/clusters}}
</section>
)HTML"});
const std::string_view kWorkbenchTemplate = kWorkbenchPage;

const std::string_view kTeamScript =
    R"JS(// Team pages: ask before undoing or unlinking (buttons with data-confirm). Forms work without it.
(function () {
  'use strict';
  document.addEventListener('submit', function (e) {
    var b = e.submitter;
    var msg = b && b.getAttribute('data-confirm');
    if (msg && !window.confirm(msg)) e.preventDefault();
  });
})();
)JS";

}  // namespace kho::web
