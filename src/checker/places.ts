/**
 * Places the checker recognises: destination countries (with cities and common Indonesian
 * spellings), scam-compound hubs, Indonesian departure points used for irregular crossings.
 * Why a place is risky is documented with sources in data/checker-facts.yaml.
 */

export type PlaceKind =
  | 'scam_hub' // online-scam compounds reported by the foreign ministry / embassies
  | 'no_agreement' // no placement agreement with Indonesia (KP2MI, April 2025)
  | 'middle_east' // domestic-work moratorium (Kepmenaker 260/2015)
  | 'asia' // common lawful destinations
  | 'other_abroad'
  | 'route' // Indonesian departure point for irregular crossings
  | 'indonesia';

export interface PlaceDef {
  country: string;
  kind: PlaceKind;
  /** regex source on normalised text, without \b */
  names: string;
}

export const PLACES: readonly PlaceDef[] = [
  // scam-compound hubs (cities first so the destination is the most specific name)
  { country: 'Cambodia', kind: 'scam_hub', names: 'sihanoukville|sihanouk|preah sihanouk|poipet|bavet|chrey thum|kampot|kandal|banteay meanchey|koh kong|svay rieng|phnom ?penh|kamboja|cambodia|cambodge|kampuchea' },
  { country: 'Myanmar', kind: 'scam_hub', names: 'myawaddy|myawadi|shwe kokko|kk park|tachileik|tachilek|karen state|negara bagian karen|myanmar|burma|birma' },
  { country: 'Laos', kind: 'scam_hub', names: 'golden triangle|segitiga emas|bokeo|ton pheung|tonpheung|vientiane|laos|lao pdr' },
  { country: 'Thailand', kind: 'scam_hub', names: 'mae ?sot|maesot|perbatasan (thailand|myanmar)|thai[- ]myanmar border' },
  { country: 'Philippines', kind: 'scam_hub', names: 'pogo|pampanga|clark freeport|bamban|porac|pasay|filipina|philippines|philipina|pilipina|manila' },
  { country: 'Thailand', kind: 'no_agreement', names: 'thailand|thailan|bangkok|pattaya|chiang rai|chiangrai|phuket|hat ?yai' },
  // Middle East: domestic-work moratorium
  { country: 'Saudi Arabia', kind: 'middle_east', names: 'arab saudi|saudi arabia|saudi|riyadh|riyad|jeddah|jedah|jeddha|makkah|mekkah|mekah|madinah|dammam' },
  { country: 'United Arab Emirates', kind: 'middle_east', names: 'dubai|abu ?dhabi|sharjah|ajman|uni emirat arab|united arab emirates|uae|emirat' },
  { country: 'Qatar', kind: 'middle_east', names: 'qatar|doha' },
  { country: 'Kuwait', kind: 'middle_east', names: 'kuwait' },
  { country: 'Oman', kind: 'middle_east', names: 'oman|muscat' },
  { country: 'Bahrain', kind: 'middle_east', names: 'bahrain|bahrein|manama' },
  { country: 'Jordan', kind: 'middle_east', names: 'yordania|jordan|amman' },
  { country: 'Lebanon', kind: 'middle_east', names: 'lebanon|libanon|beirut' },
  { country: 'Iraq', kind: 'middle_east', names: 'irak|iraq|erbil|baghdad' },
  { country: 'Syria', kind: 'middle_east', names: 'suriah|syria|damaskus|damascus' },
  { country: 'Egypt', kind: 'middle_east', names: 'mesir|egypt|kairo|cairo' },
  { country: 'Middle East', kind: 'middle_east', names: 'timur tengah|middle east|negara teluk|gulf countries|gcc' },
  // common destinations
  { country: 'Malaysia', kind: 'asia', names: 'malaysia|kuala lumpur|\\bkl\\b|johor bahru|johor|selangor|penang|pulau pinang|sabah|sarawak|kuching|kota kinabalu|tawau|melaka|malacca|negeri sembilan|kedah|pahang|terengganu|kelantan' },
  { country: 'Singapore', kind: 'asia', names: 'singapura|singapore' },
  { country: 'Hong Kong', kind: 'asia', names: 'hong ?kong|hongkong|kowloon' },
  { country: 'Taiwan', kind: 'asia', names: 'taiwan|taipei|taichung|kaohsiung|taoyuan|tainan|hsinchu' },
  { country: 'South Korea', kind: 'asia', names: 'korea selatan|south korea|korsel|korea|seoul|busan|incheon|daegu|ulsan' },
  { country: 'Japan', kind: 'asia', names: 'jepang|japan|tokyo|osaka|nagoya|fukuoka|hokkaido|kyoto|yokohama|saitama|aichi|chiba|hiroshima' },
  { country: 'Brunei', kind: 'asia', names: 'brunei|bandar seri begawan' },
  { country: 'China', kind: 'asia', names: 'tiongkok|china|cina|shanghai|guangzhou|shenzhen|beijing' },
  { country: 'Vietnam', kind: 'asia', names: 'vietnam|ho chi minh|hanoi' },
  { country: 'Macau', kind: 'asia', names: 'macau|makau|macao' },
  { country: 'Australia', kind: 'other_abroad', names: 'australia|sydney|melbourne|perth|brisbane|adelaide' },
  { country: 'New Zealand', kind: 'other_abroad', names: 'selandia baru|new zealand|auckland' },
  { country: 'Europe', kind: 'other_abroad', names: 'eropa|europe|jerman|germany|belanda|netherlands|polandia|poland|hungaria|hungary|rumania|romania|ceko|czech|slovakia|slowakia|portugal|spanyol|spain|italia|italy|perancis|france|inggris|united kingdom|uk|turki|turkey|turkiye|lithuania|latvia|malta|yunani|greece|croatia|kroasia' },
  { country: 'United States', kind: 'other_abroad', names: 'amerika serikat|united states|usa|amerika|new york|california|texas' },
  { country: 'Canada', kind: 'other_abroad', names: 'kanada|canada|toronto|vancouver' },
  { country: 'Russia', kind: 'other_abroad', names: 'rusia|russia|moskow|moscow' },
  { country: 'Fiji', kind: 'other_abroad', names: 'fiji|mauritius|peru|papua nugini|papua new guinea|somalia|afrika|africa' },
  // Indonesian departure points for irregular crossings (lawful places in themselves)
  { country: 'Indonesia', kind: 'route', names: 'batam|tanjung ?pinang|nunukan|entikong|tanjung ?balai karimun|tanjung ?balai|karimun|dumai|bengkalis|tanjung ?uban|sebatik|aruk|badau' },
  { country: 'Indonesia', kind: 'indonesia', names: 'jakarta|jabodetabek|bekasi|tangerang|depok|bogor|bandung|surabaya|semarang|yogyakarta|jogja|yogya|solo|surakarta|malang|medan|makassar|palembang|pekanbaru|padang|denpasar|bali|lombok|mataram|kupang|balikpapan|samarinda|banjarmasin|pontianak|manado|cirebon|karawang|cikarang|sidoarjo|gresik|kudus|jepara|serang|cilegon|lampung|jambi|bengkulu|aceh|ambon|jayapura|sukabumi|purwakarta|indramayu|tegal|pekalongan|kediri|jember|banyuwangi|madiun|indonesia' },
];

export interface CompiledPlace extends PlaceDef { re: RegExp }

export const COMPILED_PLACES: readonly CompiledPlace[] = PLACES.map((p) => ({
  ...p,
  re: new RegExp(`\\b(?:${p.names})\\b`, 'g'),
}));

/** Words that, shortly before a place, mean the text steers AWAY from it. */
export const PLACE_NEGATION = /\b(?:(?:tidak|bukan|never|not|no|tak)\s+(?:pernah\s+|akan\s+|lagi\s+)?(?:ke|untuk|to|for|menempatkan|merekrut|merekrut untuk|recruit\w*|plac\w*|send\w*|melayani|menerima|buka|membuka|open|work in|bekerja di|kerja di|berangkat ke|mengirim)|selain|kecuali|except|excluding|hindari|waspada|awas|beware|avoid|hati-hati|dilarang|larangan|moratorium|jangan (?:ke|mau|percaya|tergiur)|korban|victims?|scams? (?:in|di)|penipuan (?:di|ke))\b[^.\n]{0,60}$/;
