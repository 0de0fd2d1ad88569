// parse_docx_article (kho/ingest/article_parser.h): filled in by the DOCX reader.
#include "kho/ingest/article_parser.h"

namespace kho::ingest {

kho::Result<ParseResult> parse_docx_article(std::string_view, std::string_view source_name) {
  return Status::InvalidArgument(std::string(source_name) + ": .docx not supported yet");
}

kho::Result<std::string> read_docx_part(std::string_view, std::string_view, std::string_view source_name) {
  return Status::InvalidArgument(std::string(source_name) + ": .docx not supported yet");
}

}  // namespace kho::ingest
