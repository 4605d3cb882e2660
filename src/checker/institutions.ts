/**
 * Institutions whose names fake vacancies borrow most (state companies, ministries, public bodies), as
 * an offer names them: those whose own recruitment site could be sourced (data/contacts.yaml lists
 * those that could not be, and why). A verdict on recruitment in one of these names points to where
 * that institution itself announces its recruitment: the contacts whose `institutions` list it, each
 * with its source (the institution's own statement, or a report quoting it). Naming an institution
 * proves nothing (fakes borrow the names): the point is where to check. Pure.
 */
import { namedInOrder } from './named.js';

export const INSTITUTION_IDS = [
  'pln', 'casn', 'pertamina', 'polri', 'kemendesa_pld', 'kpu', 'bawaslu', 'haji', 'telkom', 'bni', 'garuda', 'kemnaker', 'koperasi_merah_putih',
] as const;
export type InstitutionId = (typeof INSTITUTION_IDS)[number];

/** How each institution is named, in the checker's normalised text (lower case, single spaces). */
const INSTITUTION_NAMES: Readonly<Record<InstitutionId, RegExp>> = {
  pln: /\bpln\b|\bperusahaan listrik negara\b/,
  pertamina: /\bpertamina\b/,
  casn: /\bcpns\b|\bpppk\b|\bcasn\b|\bsscasn\b|\bcalon (?:pegawai negeri sipil|aparatur sipil negara)\b/,
  kemendesa_pld: /\bpendamping (?:lokal )?desa\b|\bpld\b|\bkemendesa\b|\bkementerian desa\b/,
  polri: /\bpolri\b|\bkepolisian (?:negara )?republik indonesia\b|\b(?:calon )?(?:anggota|bintara|tamtama|taruna) polisi\b/,
  telkom: /\btelkom(?: indonesia)?\b/,
  kpu: /\bkpu\b|\bkpps\b|\bkomisi pemilihan umum\b/,
  bawaslu: /\bbawaslu\b|\bbadan pengawas pemilihan umum\b/,
  haji: /\bpetugas (?:haji|penyelenggara ibadah haji)\b|\bppih\b|\btenaga kesehatan haji\b/,
  bni: /\bbank bni\b|\bbank negara indonesia\b|\bbni\b/,
  garuda: /\bgaruda indonesia\b/,
  kemnaker: /\bkemnaker\b|\bkementerian ketenagakerjaan\b/,
  koperasi_merah_putih: /\bkoperasi desa merah putih\b|\bkopdes merah putih\b|\bkoperasi merah putih\b/,
};

/** The institutions a text names, in the order it first names them (at most two). */
export function institutionsNamed(t: string): InstitutionId[] {
  return namedInOrder(t, INSTITUTION_NAMES, INSTITUTION_IDS);
}
