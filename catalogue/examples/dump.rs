//! Print a summary of the demo province: `cargo run -p catalogue --example dump`.
//! With `--csv`, write the whole procedure catalogue as CSV to stdout.

fn main() -> std::io::Result<()> {
    let p = catalogue::demo_province();
    if std::env::args().any(|a| a == "--csv") {
        return catalogue::csv_import::write_procedures(std::io::stdout().lock(), &p.procedures);
    }
    println!(
        "{}: {} centers, {} fields, {} procedures",
        p.name,
        p.centers.len(),
        p.fields.len(),
        p.procedures.len()
    );
    for c in &p.centers {
        println!(
            "{:<10} {:<60} {:>8.4} {:>9.4} {}",
            c.code, c.name, c.latitude, c.longitude, c.opening_hours
        );
        println!("           {}", c.address);
        for k in &c.counters {
            println!(
                "           quầy {:>2}: {}",
                k.number,
                k.field_codes.join(", ")
            );
        }
    }
    for f in &p.fields {
        let n = p
            .procedures
            .iter()
            .filter(|x| x.field_code == f.code)
            .count();
        println!(
            "{:<7} {} {:<35} {:<40} {n}",
            f.code, f.series, f.name_vi, f.name_en
        );
    }
    Ok(())
}
