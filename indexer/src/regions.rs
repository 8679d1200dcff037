//! Where regions are, for ranking devices by proximity (`/v1/devices?near=…`).
//!
//! Operators name a device's region freely (at most 32 bytes on chain); the names below follow the
//! cloud convention (`us-east`, `eu-central`, …) that the CLI suggests. A renter asks for devices
//! near a region or a point; known regions are ranked by great-circle distance from it, and devices
//! in unknown regions come last. Off-chain only: the floats never reach consensus code.

/// Region name, latitude, longitude (degrees) of the metro area the name usually means.
pub const REGIONS: &[(&str, f64, f64)] = &[
    ("us-east", 39.04, -77.49),
    ("us-central", 41.88, -93.10),
    ("us-west", 37.37, -121.92),
    ("ca-central", 45.50, -73.57),
    ("sa-east", -23.55, -46.63),
    ("eu-west", 53.35, -6.26),
    ("uk-south", 51.51, -0.13),
    ("eu-central", 50.11, 8.68),
    ("eu-north", 59.33, 18.07),
    ("eu-south", 45.46, 9.19),
    ("me-central", 25.20, 55.27),
    ("af-south", -33.92, 18.42),
    ("ap-south", 19.08, 72.88),
    ("ap-southeast", 1.35, 103.82),
    ("ap-east", 22.32, 114.17),
    ("ap-northeast", 35.68, 139.69),
    ("au-east", -33.87, 151.21),
];

/// The coordinates of a known region.
pub fn coords(region: &str) -> Option<(f64, f64)> {
    REGIONS.iter().find(|(name, _, _)| *name == region).map(|&(_, lat, lon)| (lat, lon))
}

/// Great-circle distance in kilometres (haversine, mean Earth radius).
pub fn km((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6_371.0 * a.sqrt().min(1.0).asin()
}

/// Every known region with its distance from `point` in whole kilometres, nearest first (ties by
/// name, so the order — and the page cursors built on it — is stable).
pub fn ranked_from(point: (f64, f64)) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = REGIONS
        .iter()
        .map(|&(name, lat, lon)| (name.to_owned(), km(point, (lat, lon)).round() as i64))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// Parses `lat,lon` in degrees (−90..90, −180..180).
pub fn parse_point(text: &str) -> Option<(f64, f64)> {
    let (lat, lon) = text.split_once(',')?;
    let (lat, lon): (f64, f64) = (lat.trim().parse().ok()?, lon.trim().parse().ok()?);
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_match_known_figures() {
        // New York ↔ London is about 5,570 km; a point to itself is 0.
        let d = km((40.71, -74.01), (51.51, -0.13));
        assert!((5_550.0..5_600.0).contains(&d), "{d}");
        assert_eq!(km((1.0, 2.0), (1.0, 2.0)), 0.0);
    }

    #[test]
    fn ranking_from_new_york_and_tokyo() {
        let ny: Vec<String> = ranked_from((40.71, -74.01)).into_iter().map(|r| r.0).take(3).collect();
        assert_eq!(ny, ["us-east", "ca-central", "us-central"]);
        let tokyo = ranked_from(coords("ap-northeast").unwrap());
        assert_eq!((tokyo[0].0.as_str(), tokyo[0].1), ("ap-northeast", 0));
        assert_eq!(tokyo[1].0, "ap-east");
    }

    #[test]
    fn points_are_validated() {
        assert_eq!(parse_point("40.7,-74.0"), Some((40.7, -74.0)));
        assert_eq!(parse_point(" -33.9 , 151.2 "), Some((-33.9, 151.2)));
        for bad in ["91,0", "0,181", "40.7", "a,b", "NaN,0", ""] {
            assert_eq!(parse_point(bad), None, "{bad}");
        }
    }
}
