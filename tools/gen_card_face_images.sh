#!/bin/sh
# Draws the virtual card's card-face images (券面AP) and writes them, committed, to
# src/virtual_card/fixtures/:
#
#   face.jp2           face photo: greyscale JPEG 2000 in the JP2 container, 240x320, ~1 KB
#   name.png           name as printed (1-bit greyscale PNG)
#   address.png        address as printed (1-bit greyscale PNG, two lines)
#   security_code.png  the 4-digit security code (1-bit PNG, 24x12)
#   my_number.png      the 12-digit my number (1-bit PNG, 72x12)
#
# Formats follow what public readers found on cards: the text fields are 1-bit PNG and the photo
# is greyscale JPEG 2000 in a JP2 container; security code 24x12 and my number 72x12 are the sizes
# seen on one card (only soltia48/myna-card reports them, in src/ap/surface.rs). The other sizes
# and every drawing are choices. The photo is compressed so that the whole card-face record
# (EF 0002: dates, key, images, photo, signature) comes to about 3 KB, the size of that file on
# a JPKI test card issued in 2025 (3,070 bytes), and a read of it takes as many APDUs. The text is the default holder's (src/virtual_card/holder.rs); a
# custom holder gets these same images.
#
# Needs ImageMagick and openjpeg (opj_compress, opj_decompress); installs them when missing and
# run as root on Debian. Run from the repository root: sh tools/gen_card_face_images.sh
set -eu

if ! command -v opj_compress >/dev/null 2>&1 || ! command -v convert >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && apt-get install -y -qq libopenjp2-tools imagemagick
    else
        echo "needs ImageMagick (convert) and openjpeg (opj_compress): apt-get install libopenjp2-tools imagemagick" >&2
        exit 1
    fi
fi

out=src/virtual_card/fixtures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A CJK font if the system has one (Debian: fonts-droid-fallback), else ASCII placeholders.
cjk=$(fc-list : file 2>/dev/null | grep -m1 -i -E 'DroidSansFallback|NotoSansCJK' | sed 's/: *$//' || true)
if [ -n "$cjk" ]; then
    font=$cjk
    name='仮想　太郎'
    address1='東京都仮想区試験町'
    address2='１丁目２番３号'
else
    font=DejaVu-Sans
    name='KASOU TARO'
    address1='Tokyo-to Kasou-ku Shiken-cho'
    address2='1-2-3'
fi

# PNG without timestamps or other chunks that change from run to run.
png() { convert "$@" -strip -define png:exclude-chunks=date,time -colorspace Gray -type Bilevel -define png:bit-depth=1 -define png:color-type=0 "png:$out_file"; }

out_file=$out/name.png
png -size 360x40 xc:white -font "$font" -pointsize 28 -fill black -annotate +4+31 "$name"
out_file=$out/address.png
png -size 560x72 xc:white -font "$font" -pointsize 26 -fill black \
    -annotate +4+29 "$address1" -annotate +4+64 "$address2"
out_file=$out/security_code.png
png -size 24x12 xc:white -font DejaVu-Sans-Mono -pointsize 10 -fill black -annotate +1+10 '1234'
out_file=$out/my_number.png
png -size 72x12 xc:white -font DejaVu-Sans-Mono -pointsize 10 -fill black -annotate +0+10 '123456789018'

# A face-like drawing: shoulders, neck, head, hair, eyes, brows, nose, mouth; softened so it
# compresses like a photograph rather than line art.
convert -size 240x320 xc:'gray(85%)' \
    -fill 'gray(30%)' -draw 'ellipse 120,330 110,70 180,360' \
    -fill 'gray(62%)' -draw 'rectangle 100,200 140,270' \
    -fill 'gray(70%)' -draw 'ellipse 120,150 62,80 0,360' \
    -fill 'gray(18%)' -draw 'ellipse 120,95 66,40 180,360' \
    -fill 'gray(15%)' -draw 'ellipse 97,145 9,6 0,360' -draw 'ellipse 143,145 9,6 0,360' \
    -stroke 'gray(20%)' -strokewidth 3 -draw 'line 84,128 110,126' -draw 'line 130,126 156,128' \
    -stroke 'gray(45%)' -strokewidth 2 -draw 'line 120,150 114,180' -draw 'line 114,180 124,182' \
    -stroke 'gray(35%)' -strokewidth 3 -fill none -draw 'arc 100,188 140,208 20,160' \
    -blur 0x1.5 -colorspace Gray -depth 8 -strip "$tmp/face.pgm"
opj_compress -i "$tmp/face.pgm" -o "$tmp/face.jp2" -r 78 -n 5 >/dev/null
cp "$tmp/face.jp2" "$out/face.jp2"

# Check: the photo decodes and carries the JPEG 2000 signature box.
opj_decompress -i "$out/face.jp2" -o "$tmp/check.pgm" >/dev/null
head -c 12 "$out/face.jp2" | od -An -tx1 | grep -q '00 00 00 0c 6a 50 20 20 0d 0a 87 0a' \
    || { echo "face.jp2 does not start with the JP2 signature box" >&2; exit 1; }
ls -l "$out"/face.jp2 "$out"/*.png
