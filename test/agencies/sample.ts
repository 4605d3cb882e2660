// A small list in the shape of the official one, for tests only. Every name, licence number and address
// here is made up (CONTOH = "example", UJI = "test"): none is a real agency.
export const LIST_DATE = '2026-03-01';

export const SAMPLE_CSV = [
  'name,licence_number,address,valid_until,province',
  'PT Contoh Penempatan Satu,UJI-001/TEST/2025,"Jl. Contoh No. 1, Kota Contoh (data uji)",2030-12-31,Jawa Contoh',
  'PT. CONTOH MIGRAN SEJAHTERA,UJI. 002 TAHUN 2024,"Jl. Contoh No. 2, Kota Contoh (data uji)",2025-01-31,',
  '"CONTOH KARYA ABADI, PT",UJI-003/TEST/2023,Jl. Contoh No. 3 (data uji),,',
  'PT Uji Abc,UJI-004/TEST/2022,Jl. Contoh No. 4 (data uji),2031-06-30,',
].join('\n');
