// The search page (issue 15): a suggestion when the query has slips, then the hits grouped by event, the
// photos as a grid with their caption and the match highlighted, the texts (titles, paragraphs, event names)
// as a list linking to their place in the article. The view model is search_request_view (views_search.cc).
#include "templates.h"

namespace kho::web {

const std::string_view kSearchTemplate = R"HTML(<div class="page-head">
  {{#has_query}}<h1>Kết quả cho “{{query}}”</h1>
  <p class="muted">{{count}}{{#more}}+{{/more}} kết quả{{#date_from}} · từ {{date_from}}{{/date_from}}{{!
  }}{{#date_to}} · đến {{date_to}}{{/date_to}}{{#event_filter}} · trong một sự kiện{{/event_filter}} · {{!
  }}mọi từ trong cùng bài hoặc ảnh; các từ đứng liền nhau xếp trước</p>
  {{#suggestion}}<p class="suggest" role="status">{{#corrected}}Không có kết quả cho “{{query}}”. {{!
  }}Đang hiện kết quả cho <a href="{{suggestion_url}}"><strong>{{suggestion}}</strong></a>.{{/corrected}}{{!
  }}{{^corrected}}Có phải bạn muốn tìm {{!
  }}<a href="{{suggestion_url}}"><strong>{{suggestion}}</strong></a>?{{/corrected}}</p>{{/suggestion}}
  {{/has_query}}
  {{^has_query}}<h1>Tìm kiếm</h1>{{/has_query}}
  <details class="search-help"{{^has_query}} open{{/has_query}}>
    <summary>Cách tìm</summary>
    <ul>
      <li>Gõ có dấu hoặc không dấu: <em>son la thanh hoa</em> tìm được bài có cả “Sơn La” và “Thanh Hóa”.</li>
      <li>Đặt trong ngoặc kép để tìm đúng cụm từ: <em>"cầu Long Biên"</em>.</li>
      <li>Dán cả chú thích để tìm ảnh của nó. Gõ sai một chữ vẫn được gợi ý (<em>thanh hao</em> → thanh hóa).</li>
      <li>Viết tắt tìm được cả hai chiều: <em>UBND</em> = ủy ban nhân dân, HĐND, MTTQ, TP, TX, BCH…</li>
      <li>Lọc theo ngày: <code>date:2021</code>, <code>date:2021-03</code>, <code>date:2021-01..2021-06</code>;
        theo sự kiện: <code>event:</code> và mã sự kiện.</li>
    </ul>
  </details>
</div>
{{#groups}}
<section class="result-group">
  <h2>{{#event_url}}<a href="{{event_url}}">{{#event_title}}{{event_title}}{{/event_title}}{{!
  }}{{^event_title}}Sự kiện{{/event_title}}</a>{{/event_url}}{{!
  }}{{^event_url}}Ảnh không thuộc sự kiện{{/event_url}} {{!
  }}<time class="muted small">{{event_date}}</time></h2>
  {{#has_photos}}
  <ul class="grid hit-grid">
  {{#photos}}
    <li class="tile hit-photo">
      <a href="{{photo_url}}"><img src="{{thumb}}" alt="{{snippet}}" loading="lazy" decoding="async"></a>
      <p class="tile-caption">{{#parts}}{{#hit}}<mark>{{text}}</mark>{{/hit}}{{^hit}}{{text}}{{/hit}}{{/parts}}</p>
      <p class="hit-where">{{field_label}}{{#anchor_url}} · <a href="{{anchor_url}}">trong bài</a>{{/anchor_url}}</p>
    </li>
  {{/photos}}
  </ul>
  {{/has_photos}}
  {{#has_texts}}
  <ol class="hits">
  {{#texts}}
    <li class="hit">
      <div class="hit-text">
        <p class="kicker">{{field_label}}{{#article_title}} · {{article_title}}{{/article_title}}</p>
        <p class="snippet"><a href="{{url}}">{{#parts}}{{#hit}}<mark>{{text}}</mark>{{/hit}}{{!
        }}{{^hit}}{{text}}{{/hit}}{{/parts}}</a></p>
      </div>
    </li>
  {{/texts}}
  </ol>
  {{/has_texts}}
</section>
{{/groups}}
{{#has_query}}{{^groups}}<p class="empty">Không tìm thấy kết quả nào. {{!
}}Thử bớt từ, bỏ dấu ngoặc kép hoặc bộ lọc.</p>{{/groups}}{{/has_query}}
)HTML";

}  // namespace kho::web
