//! PNG versions of the charts: the SVG text is rendered by resvg with the system's fonts, so a
//! PNG shows exactly what the SVG shows.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::io_err;
use super::OutputError;

/// Sans-serif families tried in order for the charts' text.
const SANS_SERIF: [&str; 6] = [
    "DejaVu Sans",
    "Liberation Sans",
    "Arial",
    "Helvetica",
    "Noto Sans",
    "FreeSans",
];

/// The system fonts, loaded once per process. The charts ask for "sans-serif": it is mapped
/// to the first of [`SANS_SERIF`] installed, else to any installed family.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_system_fonts();
            let installed = |name: &str| {
                db.faces()
                    .any(|f| f.families.iter().any(|(fam, _)| fam == name))
            };
            let family = SANS_SERIF
                .iter()
                .find(|f| installed(f))
                .map(|f| f.to_string())
                .or_else(|| {
                    db.faces()
                        .next()
                        .and_then(|f| f.families.first().map(|(fam, _)| fam.clone()))
                });
            match family {
                Some(f) => db.set_sans_serif_family(f),
                None => eprintln!(
                    "warning: no system font found; PNG charts are drawn without text \
                     (install fonts-dejavu-core; the SVG charts are complete)"
                ),
            }
            Arc::new(db)
        })
        .clone()
}

/// Renders `svg` to pixels (1:1 scale); `path` names the file in errors.
fn render(svg: &str, path: &Path) -> Result<tiny_skia::Pixmap, OutputError> {
    let options = usvg::Options {
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| io_err(path, e))?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| io_err(path, "chart has zero size"))?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    Ok(pixmap)
}

/// Renders `svg` to a PNG file at `path` (1:1 pixel scale).
pub fn write_png(svg: &str, path: &Path) -> Result<(), OutputError> {
    let pixmap = render(svg, path)?;
    super::atomically(path, |tmp| {
        pixmap.save_png(tmp).map_err(|e| io_err(path, e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A red square on white comes out as those pixels.
    #[test]
    fn renders_svg_pixels() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10">
            <rect width="20" height="10" fill="white"/><rect width="10" height="10" fill="red"/></svg>"#;
        let dir = std::env::temp_dir().join(format!("triphase-raster-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.png");
        write_png(svg, &path).unwrap();
        let png = std::fs::read(&path).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        // IHDR: width and height big-endian at bytes 16..24
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 20);
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 10);
        let pm = render(svg, &path).unwrap();
        let px = |x: u32| pm.pixel(x, 5).unwrap();
        assert_eq!((px(2).red(), px(2).green()), (255, 0));
        assert_eq!((px(15).red(), px(15).green()), (255, 255));
        std::fs::remove_dir_all(&dir).ok();
    }
}
