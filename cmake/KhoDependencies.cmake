# Every third-party dependency is found here, once, from Debian 12's packages.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

pkg_check_modules(LMDB REQUIRED IMPORTED_TARGET lmdb)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
pkg_check_modules(LIBEXIF REQUIRED IMPORTED_TARGET libexif)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(LIBHEIF REQUIRED IMPORTED_TARGET libheif)  # HEIF/HEIC/AVIF: thumbnailer decodes, ingest reads XMP
pkg_check_modules(LIBRAW REQUIRED IMPORTED_TARGET libraw_r)  # camera raw without a preview (thumbnailer)
# Article readers: HTML5 parsing (gumbo), .docx = zip (libzip) + XML (pugixml).
pkg_check_modules(GUMBO REQUIRED IMPORTED_TARGET gumbo)
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(PUGIXML REQUIRED IMPORTED_TARGET pugixml)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
find_package(Boost 1.74 REQUIRED COMPONENTS filesystem)
find_package(exiv2 REQUIRED CONFIG)
find_package(TBB REQUIRED CONFIG)
find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs img_hash features2d calib3d)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(ZLIB REQUIRED)  # CRC-32 of the gallery's streamed ZIP downloads (zlib1g-dev)

# Header-only libraries, found where the system keeps them (never a hard-coded path) and reached only
# through an IMPORTED INTERFACE target that carries the include directory found.
# CLI11 (app only): its CMake package when installed, else the header's directory.
find_package(CLI11 CONFIG QUIET)
add_library(kho::cli11_headers INTERFACE IMPORTED)
if(TARGET CLI11::CLI11)
  target_link_libraries(kho::cli11_headers INTERFACE CLI11::CLI11)
else()
  find_path(KHO_CLI11_INCLUDE_DIR NAMES CLI/CLI.hpp)
  if(NOT KHO_CLI11_INCLUDE_DIR)
    message(FATAL_ERROR "CLI11 not found: apt-get install libcli11-dev")
  endif()
  target_include_directories(kho::cli11_headers INTERFACE ${KHO_CLI11_INCLUDE_DIR})
endif()
# kainjow mustache (the webui tests only: the oracle of webui/src/mustache.cc, the engine the pages use): Debian
# ships the header alone, without a CMake or pkg-config file.
find_path(KHO_MUSTACHE_INCLUDE_DIR NAMES kainjow/mustache.hpp)
if(NOT KHO_MUSTACHE_INCLUDE_DIR)
  message(FATAL_ERROR "kainjow mustache not found: apt-get install libkainjow-mustache-dev")
endif()
add_library(kho::mustache_headers INTERFACE IMPORTED)
target_include_directories(kho::mustache_headers INTERFACE ${KHO_MUSTACHE_INCLUDE_DIR})

if(KHO_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
