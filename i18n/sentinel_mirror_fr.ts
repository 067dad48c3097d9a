<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>@default</name>
    <message>
        <location filename="../plugin/core/download.py"/>
        <source>Not enough free disk space in {folder} for {title}: it needs {value:.0f} MB more (including a safety margin) and {value2:.0f} MB are free. Free some space or choose another download folder, then run again: partial downloads are kept and resume.</source>
        <translation>Pas assez d’espace disque libre dans {folder} pour {title} : il faut encore {value:.0f} Mo (marge de sécurité comprise) et {value2:.0f} Mo sont libres. Libérez de la place ou choisissez un autre dossier de téléchargement, puis relancez : les téléchargements partiels sont conservés et reprennent.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/base.py"/>
        <source>Cancelled by the user.</source>
        <translation>Annulé par l’utilisateur.</translation>
    </message>
    <message>
        <location filename="../plugin/core/download.py"/>
        <source>size is {size} bytes, the catalogue says {expected_size}</source>
        <translation>la taille est de {size} octets, le catalogue annonce {expected_size}</translation>
    </message>
    <message>
        <location filename="../plugin/core/download.py"/>
        <source>MD5 is {hexdigest}, the catalogue says {expected_md5}</source>
        <translation>le MD5 est {hexdigest}, le catalogue annonce {expected_md5}</translation>
    </message>
    <message>
        <location filename="../plugin/core/download.py"/>
        <source>it is not a valid zip archive</source>
        <translation>ce n’est pas une archive zip valide</translation>
    </message>
    <message>
        <location filename="../plugin/core/segments.py"/>
        <source>The connection kept breaking while downloading {title}; it will resume from where it stopped next time.</source>
        <translation>La connexion n’a cessé de se couper pendant le téléchargement de {title} ; il reprendra là où il s’est arrêté la prochaine fois.</translation>
    </message>
    <message>
        <location filename="../plugin/core/download.py"/>
        <source>{title} was downloaded twice and is corrupt both times ({problem}). Try again later or report it to the catalogue.</source>
        <translation>{title} a été téléchargé deux fois et il est corrompu les deux fois ({problem}). Réessayez plus tard ou signalez-le au catalogue.</translation>
    </message>
    <message>
        <location filename="../plugin/core/segments.py"/>
        <source>the download of {title}</source>
        <translation>le téléchargement de {title}</translation>
    </message>
    <message>
        <location filename="../plugin/core/download.py"/>
        <source>{title} is not online yet (the service answered with a message instead of the product: {text})</source>
        <translation>{title} n’est pas encore en ligne (le service a répondu par un message au lieu du produit : {text})</translation>
    </message>
    <message>
        <location filename="../plugin/core/download.py"/>
        <source>{title} is not online yet (the service sent an empty answer).</source>
        <translation>{title} n’est pas encore en ligne (le service a envoyé une réponse vide).</translation>
    </message>
    <message>
        <location filename="../plugin/core/download.py"/>
        <source>The disk filled up while downloading {title}. Free some space and run again: the partial download is kept and resumes.</source>
        <translation>Le disque s’est rempli pendant le téléchargement de {title}. Libérez de la place et relancez : le téléchargement partiel est conservé et reprendra.</translation>
    </message>
    <message>
        <location filename="../plugin/core/download.py"/>
        <source>The catalogue refused the credentials for {title} (HTTP {code}).</source>
        <translation>Le catalogue a refusé les identifiants pour {title} (HTTP {code}).</translation>
    </message>
    <message>
        <location filename="../plugin/core/download.py"/>
        <source>Too many downloads at once for the service (HTTP 429) while fetching {title}.</source>
        <translation>Trop de téléchargements simultanés pour le service (HTTP 429) pendant la récupération de {title}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/download.py"/>
        <source>{title} is not online yet (HTTP {code}){resp}</source>
        <translation>{title} n’est pas encore en ligne (HTTP {code}){resp}</translation>
    </message>
    <message>
        <location filename="../plugin/core/download.py"/>
        <source>{title} is no longer available from the catalogue (HTTP {code}).</source>
        <translation>{title} n’est plus disponible dans le catalogue (HTTP {code}).</translation>
    </message>
    <message>
        <location filename="../plugin/core/download.py"/>
        <source>The download of {title} failed with HTTP {code}{resp}</source>
        <translation>Le téléchargement de {title} a échoué avec le code HTTP {code}{resp}</translation>
    </message>
    <message>
        <location filename="../plugin/core/download.py"/>
        <source>{title} is not online yet (the service answered with a message instead of the product{resp})</source>
        <translation>{title} n’est pas encore en ligne (le service a répondu par un message au lieu du produit{resp})</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>check your network (proxy) or the address under Advanced below</source>
        <translation>vérifiez votre réseau (proxy) ou l’adresse dans la section Avancé ci-dessous</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>create a new key in your GEODES user settings (geodes-portal.cnes.fr) and store it in the authentication configuration</source>
        <translation>créez une nouvelle clé dans les paramètres de votre compte GEODES (geodes-portal.cnes.fr) et enregistrez-la dans la configuration d’authentification</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>check the username (e-mail) and password in the authentication configuration; an account with two-factor login also needs its one-time code</source>
        <translation>vérifiez l’identifiant (e-mail) et le mot de passe dans la configuration d’authentification ; un compte à double authentification a aussi besoin de son code à usage unique</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/layers.py"/>
        <source>online</source>
        <translation>en ligne</translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_model.py"/>
        <source>on tape</source>
        <translation>sur bande</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>being restored</source>
        <translation>en cours de rappel depuis la bande</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>not reported</source>
        <translation>non communiquée</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>{service}: {parts}.</source>
        <translation>{service} : {parts}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>the {service} {what}</source>
        <translation>{what} {service}</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>the {what} was redirected in a loop ({fix_address})</source>
        <translation>{what} a été redirigée en boucle ({fix_address})</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>timed out</source>
        <translation>a expiré</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>failed ({name})</source>
        <translation>a échoué ({name})</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>not reachable: the {what} {kind}; {fix_address}</source>
        <translation>injoignable : {what} {kind} ; {fix_address}</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>the {what} was refused for quota (HTTP 429): wait a while and test again</source>
        <translation>{what} a été refusée pour dépassement de quota (HTTP 429) : patientez un moment puis testez à nouveau</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>the {what} failed with a service error (HTTP {status}): the service has trouble; test again later</source>
        <translation>{what} a échoué sur une erreur du service (HTTP {status}) : le service rencontre des difficultés ; testez à nouveau plus tard</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>nothing answers the {what} at this address (HTTP 404): {fix_address}</source>
        <translation>aucune réponse pour {what} à cette adresse (HTTP 404) : {fix_address}</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>the {what} was refused (HTTP {status}): {response}</source>
        <translation>{what} a été refusée (HTTP {status}) : {response}</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>the search answer is not a {service} catalogue ({fix_address})</source>
        <translation>la réponse à la recherche ne vient pas d’un catalogue {service} ({fix_address})</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>search OK but it found no product to test the rest on</source>
        <translation>recherche réussie, mais aucun produit trouvé pour tester la suite</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>no content type</source>
        <translation>aucun type de contenu</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>the search answer is not JSON ({kind}), so this is not the {service} catalogue: {fix_address}</source>
        <translation>la réponse à la recherche n’est pas du JSON ({kind}) : ce n’est donc pas le catalogue {service} ; {fix_address}</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>the availability request was refused for quota (HTTP 429): test again later</source>
        <translation>la demande de disponibilité a été refusée pour dépassement de quota (HTTP 429) : testez à nouveau plus tard</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>the availability request refused the credentials</source>
        <translation>la demande de disponibilité a refusé les identifiants</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>the availability answer was not understood ({e})</source>
        <translation>la réponse de disponibilité n’a pas été comprise ({e})</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>the availability request failed ({e})</source>
        <translation>la demande de disponibilité a échoué ({e})</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>availability answered (1 item, {state})</source>
        <translation>disponibilité obtenue (1 produit, {state})</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/geodes.py"/>
        <source>search</source>
        <translation>la recherche</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>the search answer was not understood ({e})</source>
        <translation>la réponse à la recherche n’a pas été comprise ({e})</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>search OK</source>
        <translation>recherche réussie</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>no API key chosen (searching works without one; downloads need it: choose or create the authentication configuration above)</source>
        <translation>aucune clé d’API choisie (la recherche s’en passe, le téléchargement en a besoin : choisissez ou créez la configuration d’authentification ci-dessus)</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>the key was not sent: {reason}</source>
        <translation>la clé n’a pas été envoyée : {reason}</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>the API key was refused (GEODES redirected in a loop, its answer to an outdated or wrong key): {geodes_new_key}</source>
        <translation>la clé d’API a été refusée (GEODES a redirigé en boucle, sa réponse à une clé périmée ou erronée) : {geodes_new_key}</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>keyed request</source>
        <translation>la requête avec clé</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>API key accepted</source>
        <translation>clé d’API acceptée</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>the API key was refused ({status}): {geodes_new_key}</source>
        <translation>la clé d’API a été refusée ({status}) : {geodes_new_key}</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>API key not refused (the test product is not online: HTTP {status})</source>
        <translation>clé d’API non refusée (le produit de test n’est pas en ligne : HTTP {status})</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>no account chosen (searching works without one; downloads need it: choose or create the authentication configuration above)</source>
        <translation>aucun compte choisi (la recherche s’en passe, le téléchargement en a besoin : choisissez ou créez la configuration d’authentification ci-dessus)</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>Use https in the CDSE token address under Advanced below.</source>
        <translation>Utilisez https dans l’adresse du jeton CDSE, section Avancé ci-dessous.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/cdse.py"/>
        <source>login</source>
        <translation>la connexion</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>the login was refused ({status_code}): {cdse_fix_login}</source>
        <translation>la connexion a été refusée ({status_code}) : {cdse_fix_login}</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>the login answer holds no token ({fix_address})</source>
        <translation>la réponse à la connexion ne contient aucun jeton ({fix_address})</translation>
    </message>
    <message>
        <location filename="../plugin/core/live_check.py"/>
        <source>login accepted (token received)</source>
        <translation>connexion acceptée (jeton reçu)</translation>
    </message>
    <message>
        <location filename="../plugin/core/models.py"/>
        <source>Sentinel-2 L2A MAJA surface reflectance (Theia)</source>
        <translation>Sentinel-2 L2A, réflectance de surface MAJA (Theia)</translation>
    </message>
    <message>
        <location filename="../plugin/core/models.py"/>
        <source>Surface reflectance with cloud masks: the product NDVI should use.</source>
        <translation>Réflectance de surface avec masques de nuages : le produit à utiliser pour le NDVI.</translation>
    </message>
    <message>
        <location filename="../plugin/core/models.py"/>
        <source>Sentinel-2 L1C top of atmosphere (PEPS)</source>
        <translation>Sentinel-2 L1C, réflectance au sommet de l’atmosphère (PEPS)</translation>
    </message>
    <message>
        <location filename="../plugin/core/models.py"/>
        <source>Top-of-atmosphere reflectance: NDVI from it is biased by the atmosphere.</source>
        <translation>Réflectance au sommet de l’atmosphère : le NDVI qui en est tiré est biaisé par l’atmosphère.</translation>
    </message>
    <message>
        <location filename="../plugin/core/models.py"/>
        <source>Sentinel-1 GRD/SLC (PEPS)</source>
        <translation>Sentinel-1 GRD/SLC (PEPS)</translation>
    </message>
    <message>
        <location filename="../plugin/core/models.py"/>
        <source>Radar: download only, no NDVI.</source>
        <translation>Radar : téléchargement seulement, pas de NDVI.</translation>
    </message>
    <message>
        <location filename="../plugin/core/models.py"/>
        <source>Sentinel-2 L2A Sen2Cor surface reflectance</source>
        <translation>Sentinel-2 L2A, réflectance de surface Sen2Cor</translation>
    </message>
    <message>
        <location filename="../plugin/core/models.py"/>
        <source>Surface reflectance with scene classification: the product NDVI should use.</source>
        <translation>Réflectance de surface avec classification de scène : le produit à utiliser pour le NDVI.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_search.py"/>
        <source>Sentinel-2 L1C top of atmosphere</source>
        <translation>Sentinel-2 L1C, réflectance au sommet de l’atmosphère</translation>
    </message>
    <message>
        <location filename="../plugin/core/models.py"/>
        <source>Sentinel-1 GRD</source>
        <translation>Sentinel-1 GRD</translation>
    </message>
    <message>
        <location filename="../plugin/core/models.py"/>
        <source>Unknown provider {provider!r}: choose one of {items}.</source>
        <translation>Fournisseur inconnu {provider!r} : choisissez parmi {items}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/models.py"/>
        <source>Unknown collection {collection_id!r} for {provider}: choose one of {known}.</source>
        <translation>Collection inconnue {collection_id!r} pour {provider} : choisissez parmi {known}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/models.py"/>
        <source>Extent {name} longitude {value} is outside -180..180.</source>
        <translation>Longitude {name} de l’emprise ({value}) hors de l’intervalle -180..180.</translation>
    </message>
    <message>
        <location filename="../plugin/core/models.py"/>
        <source>Extent {name} latitude {value} is outside -90..90.</source>
        <translation>Latitude {name} de l’emprise ({value}) hors de l’intervalle -90..90.</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/geo.py"/>
        <source>The extent is empty: draw or choose an area with a non-zero width and height.</source>
        <translation>L’emprise est vide : dessinez ou choisissez une zone de largeur et de hauteur non nulles.</translation>
    </message>
    <message>
        <location filename="../plugin/core/models.py"/>
        <source>{text!r} is not a Sentinel-2 tile id: use the MGRS form zone (01-60) + latitude band + two letters, for example 31TCJ (a leading T is accepted).</source>
        <translation>{text!r} n’est pas un identifiant de tuile Sentinel-2 : utilisez la forme MGRS fuseau (01-60) + bande de latitude + deux lettres, par exemple 31TCJ (un T initial est accepté).</translation>
    </message>
    <message>
        <location filename="../plugin/core/models.py"/>
        <source>Give either a tile id or an extent (not both, not neither).</source>
        <translation>Indiquez soit une tuile, soit une emprise (pas les deux, et au moins l’une des deux).</translation>
    </message>
    <message>
        <location filename="../plugin/core/models.py"/>
        <source>The {name} date must be a date, got {value!r}.</source>
        <translation>La date ({name}) doit être une date, reçu {value!r}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/models.py"/>
        <source>The end date {end} is before the start date {start}.</source>
        <translation>La date de fin {end} précède la date de début {start}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/models.py"/>
        <source>Maximum cloud cover must be between 0 and 100 %, got {max_cloud}.</source>
        <translation>La couverture nuageuse maximale doit être comprise entre 0 et 100 %, reçu {max_cloud}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/models.py"/>
        <source>Relative orbit must be between 1 and 175, got {relative_orbit}.</source>
        <translation>L’orbite relative doit être comprise entre 1 et 175, reçu {relative_orbit}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>clouds</source>
        <translation>nuages</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>cloud shadows</source>
        <translation>ombres de nuages</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>snow</source>
        <translation>neige</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>water</source>
        <translation>eau</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>edges</source>
        <translation>bords de fauchée</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>saturated pixels</source>
        <translation>pixels saturés</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>scene classes</source>
        <translation>classes de scène</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>{product_id}: no mask for {masks} in this product.</source>
        <translation>{product_id} : pas de masque pour {masks} dans ce produit.</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>{name}: reading or writing failed ({e}).</source>
        <translation>{name} : la lecture ou l’écriture a échoué ({e}).</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi_batch.py"/>
        <source>{folder!r} is not a folder: choose the folder the products were downloaded to.</source>
        <translation>{folder!r} n’est pas un dossier : choisissez le dossier où les produits ont été téléchargés.</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi_batch.py"/>
        <source>{product_id} is a Sentinel-1 radar product: radar has no red or near-infrared band, so no NDVI (Sentinel-1 is download only). Compute NDVI from a Sentinel-2 product of the same area.</source>
        <translation>{product_id} est un produit radar Sentinel-1 : le radar n’a ni bande rouge ni bande proche infrarouge, donc pas de NDVI (Sentinel-1 est en téléchargement seul). Calculez le NDVI à partir d’un produit Sentinel-2 de la même zone.</translation>
    </message>
    <message>
        <location filename="../plugin/core/paths.py"/>
        <source>Refusing to write {name!r} outside {folder}.</source>
        <translation>Écriture de {name!r} hors de {folder} refusée.</translation>
    </message>
    <message>
        <location filename="../plugin/core/pipeline.py"/>
        <source>Gave up after {attempts} attempts: {error}</source>
        <translation>Abandon après {attempts} tentatives : {error}</translation>
    </message>
    <message>
        <location filename="../plugin/core/pipeline.py"/>
        <source>Will retry: {error}</source>
        <translation>Nouvel essai prévu : {error}</translation>
    </message>
    <message>
        <location filename="../plugin/core/pipeline.py"/>
        <source>Unexpected error: {error!r}</source>
        <translation>Erreur inattendue : {error!r}</translation>
    </message>
    <message>
        <location filename="../plugin/core/product_names.py"/>
        <source>{title!r} is not a Sentinel product name this plugin knows: expected a Theia/MAJA L2A name (SENTINEL2A_20190314-104911-877_L2A_T31TCH_C_V2-2), an ESA SAFE name (S2A_MSIL2A_20230801T100031_N0509_R122_T34VFJ_20230801T120000) or a Sentinel-1 name.</source>
        <translation>{title!r} n’est pas un nom de produit Sentinel que cette extension connaît : attendu un nom Theia/MAJA L2A (SENTINEL2A_20190314-104911-877_L2A_T31TCH_C_V2-2), un nom ESA SAFE (S2A_MSIL2A_20230801T100031_N0509_R122_T34VFJ_20230801T120000) ou un nom Sentinel-1.</translation>
    </message>
    <message>
        <location filename="../plugin/core/products.py"/>
        <source>Reflectance must be FRE (slope-corrected) or SRE, not {reflectance!r}.</source>
        <translation>La réflectance doit être FRE (corrigée des pentes) ou SRE, pas {reflectance!r}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/products.py"/>
        <source>{name}: no such file ({zip_path}).</source>
        <translation>{name} : fichier introuvable ({zip_path}).</translation>
    </message>
    <message>
        <location filename="../plugin/core/products.py"/>
        <source>{name} is not a product this plugin can read: it holds no Theia/MAJA *_MTD_ALL.xml, no ESA MTD_MSIL2A.xml / MTD_MSIL1C.xml and no Sentinel-1 manifest.safe.</source>
        <translation>{name} n’est pas un produit que cette extension sait lire : il ne contient ni *_MTD_ALL.xml Theia/MAJA, ni MTD_MSIL2A.xml / MTD_MSIL1C.xml ESA, ni manifest.safe Sentinel-1.</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/grd.py"/>
        <source>{name} is truncated or not a zip archive ({e}): download it again.</source>
        <translation>{name} est tronqué ou n’est pas une archive zip ({e}) : téléchargez-le à nouveau.</translation>
    </message>
    <message>
        <location filename="../plugin/core/products.py"/>
        <source>{name}: unreadable metadata ({e}).</source>
        <translation>{name} : métadonnées illisibles ({e}).</translation>
    </message>
    <message>
        <location filename="../plugin/core/products.py"/>
        <source>{label} is incomplete: {what} is missing ({member}).</source>
        <translation>{label} est incomplet : {what} manque ({member}).</translation>
    </message>
    <message>
        <location filename="../plugin/core/products.py"/>
        <source>band {band}</source>
        <translation>la bande {band}</translation>
    </message>
    <message>
        <location filename="../plugin/core/products.py"/>
        <source>{label} is incomplete: {what} is missing (no *{suffix}.jp2 in the archive).</source>
        <translation>{label} est incomplet : {what} manque (aucun *{suffix}.jp2 dans l’archive).</translation>
    </message>
    <message>
        <location filename="../plugin/core/products.py"/>
        <source>the scene classification SCL_20m</source>
        <translation>la classification de scène SCL_20m</translation>
    </message>
    <message>
        <location filename="../plugin/core/products.py"/>
        <source>{basename} is a {value} product: it has no optical bands to show in natural colour.</source>
        <translation>{basename} est un produit {value} : il n’a pas de bandes optiques à afficher en couleurs naturelles.</translation>
    </message>
    <message>
        <location filename="../plugin/core/products.py"/>
        <source>{basename}: cannot read the colour bands ({e}).</source>
        <translation>{basename} : impossible de lire les bandes de couleur ({e}).</translation>
    </message>
    <message>
        <location filename="../plugin/core/products.py"/>
        <source>{basename}: cannot read the colour bands.</source>
        <translation>{basename} : impossible de lire les bandes de couleur.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/__init__.py"/>
        <source>Unknown catalogue {name!r}: choose one of {items}.</source>
        <translation>Catalogue inconnu {name!r} : choisissez parmi {items}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/cdse.py"/>
        <source>Set your Copernicus Data Space username and password in Settings → Options → Sentinel Mirror → CDSE authentication (or the SENTINEL_MIRROR_CDSE_USERNAME / SENTINEL_MIRROR_CDSE_PASSWORD environment variables); create an account on dataspace.copernicus.eu.</source>
        <translation>Indiquez votre identifiant et votre mot de passe Copernicus Data Space dans Préférences → Options → Sentinel Mirror → authentification CDSE (ou les variables d’environnement SENTINEL_MIRROR_CDSE_USERNAME / SENTINEL_MIRROR_CDSE_PASSWORD) ; créez un compte sur dataspace.copernicus.eu.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/cdse.py"/>
        <source>Correct the CDSE addresses in Settings → Options → Sentinel Mirror (or the SENTINEL_MIRROR_CDSE_*_URL environment variables).</source>
        <translation>Corrigez les adresses CDSE dans Préférences → Options → Sentinel Mirror (ou les variables d’environnement SENTINEL_MIRROR_CDSE_*_URL).</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/geodes.py"/>
        <source>search result</source>
        <translation>le résultat de recherche</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/cdse.py"/>
        <source>{service} sent a search result that is not an object: {item}</source>
        <translation>{service} a envoyé un résultat de recherche qui n’est pas un objet : {item}</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/geodes.py"/>
        <source>availability request</source>
        <translation>la demande de disponibilité</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/cdse.py"/>
        <source>Refusing to send the CDSE token to {value}: not a CDSE address.</source>
        <translation>Envoi du jeton CDSE à {value} refusé : ce n’est pas une adresse CDSE.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/cdse.py"/>
        <source>Downloading from {service} needs an account. {auth_hint}</source>
        <translation>Télécharger depuis {service} nécessite un compte. {auth_hint}</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/common.py"/>
        <source>This is a {provider} search: it cannot be sent to {provider_name}.</source>
        <translation>Cette recherche est destinée à {provider} : elle ne peut pas être envoyée à {provider_name}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/common.py"/>
        <source>The extent is {width:.1f}° × {value:.1f}° ({area:.0f} square degrees): searches are limited to {max_extent_deg2:.0f} square degrees. Zoom in, or search tile by tile.</source>
        <translation>L’emprise fait {width:.1f}° × {value:.1f}° ({area:.0f} degrés carrés) : les recherches sont limitées à {max_extent_deg2:.0f} degrés carrés. Zoomez, ou cherchez tuile par tuile.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/common.py"/>
        <source>{service} sent a date that is not ISO 8601 in the {what}: {value}</source>
        <translation>{service} a envoyé une date non conforme à l’ISO 8601 dans {what} : {value}</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/common.py"/>
        <source>This search matches {count} products on {service}, more than the {max_results} a search may return: narrow the dates, the extent or the cloud limit.</source>
        <translation>Cette recherche correspond à {count} produits sur {service}, plus que les {max_results} qu’une recherche peut renvoyer : resserrez les dates, l’emprise ou la limite de nuages.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/geodes.py"/>
        <source>Correct the GEODES address in Settings → Options → Sentinel Mirror (or SENTINEL_MIRROR_GEODES_URL).</source>
        <translation>Corrigez l’adresse GEODES dans Préférences → Options → Sentinel Mirror (ou SENTINEL_MIRROR_GEODES_URL).</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/geodes.py"/>
        <source>Set your GEODES API key in Settings → Options → Sentinel Mirror → GEODES authentication (or the SENTINEL_MIRROR_GEODES_API_KEY environment variable); create the key in your user settings on geodes-portal.cnes.fr.</source>
        <translation>Indiquez votre clé d’API GEODES dans Préférences → Options → Sentinel Mirror → authentification GEODES (ou la variable d’environnement SENTINEL_MIRROR_GEODES_API_KEY) ; créez la clé dans les paramètres de votre compte sur geodes-portal.cnes.fr.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/geodes.py"/>
        <source>{service} sent a search result that is not an object: {feature}</source>
        <translation>{service} a envoyé un résultat de recherche qui n’est pas un objet : {feature}</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/geodes.py"/>
        <source>{service} sent product {pid} ({get}) without a data asset to download: {assets}</source>
        <translation>{service} a envoyé le produit {pid} ({get}) sans fichier de données à télécharger : {assets}</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/geodes.py"/>
        <source>{service} sent product {pid} ({title}) without a date: {props}</source>
        <translation>{service} a envoyé le produit {pid} ({title}) sans date : {props}</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/geodes.py"/>
        <source>{service} gave no download URL for {title}.</source>
        <translation>{service} n’a donné aucune adresse de téléchargement pour {title}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/geodes.py"/>
        <source>Downloading from {service} needs an API key. {auth_hint}</source>
        <translation>Télécharger depuis {service} nécessite une clé d’API. {auth_hint}</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/geodes.py"/>
        <source>{service} gave a download URL on another site ({value}); the API key is only sent to the configured GEODES address.</source>
        <translation>{service} a donné une adresse de téléchargement sur un autre site ({value}) ; la clé d’API n’est envoyée qu’à l’adresse GEODES configurée.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/geodes.py"/>
        <source>{service} refused the API key. {auth_hint}</source>
        <translation>{service} a refusé la clé d’API. {auth_hint}</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>The {service} address {scheme}://{value} is not https: your credentials are only sent over an encrypted connection. {where}</source>
        <translation>L’adresse {service} {scheme}://{value} n’est pas en https : vos identifiants ne sont envoyés que sur une connexion chiffrée. {where}</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>its certificate could not be verified</source>
        <translation>son certificat n’a pas pu être vérifié</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>the secure connection failed</source>
        <translation>la connexion sécurisée a échoué</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>The secure connection to {host} for {what} failed: {reason}. Sentinel Mirror always verifies certificates; if your network inspects HTTPS (a company proxy), install its certificate authority in the system's certificate store, or check the address in Settings → Options → Sentinel Mirror.</source>
        <translation>La connexion sécurisée à {host} pour {what} a échoué : {reason}. Sentinel Mirror vérifie toujours les certificats ; si votre réseau inspecte le HTTPS (proxy d’entreprise), installez son autorité de certification dans le magasin de certificats du système, ou vérifiez l’adresse dans Préférences → Options → Sentinel Mirror.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>request</source>
        <translation>la requête</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>{service} could not be reached for the {what} after {attempts} attempts ({name}): check your connection or try later.</source>
        <translation>{service} est injoignable pour {what} après {attempts} tentatives ({name}) : vérifiez votre connexion ou réessayez plus tard.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>{service} is unavailable for the {what} (HTTP {status}) and asks to come back in {wait}.</source>
        <translation>{service} est indisponible pour {what} (HTTP {status}) et demande de revenir dans {wait}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>{service} failed the {what} with HTTP {status} after {attempts} attempts: {response}</source>
        <translation>{service} a échoué pour {what} (HTTP {status}) après {attempts} tentatives : {response}</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>{service} answered the {what} with unexpected HTTP {status}: {response}</source>
        <translation>Réponse inattendue de {service} pour {what} (HTTP {status}) : {response}</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>{service} refused the credentials (HTTP {status}) for the {what}. {auth_hint} The service said: {response}</source>
        <translation>{service} a refusé les identifiants (HTTP {status}) pour {what}. {auth_hint} Réponse du service : {response}</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>retry in {wait:.0f} s</source>
        <translation>nouvel essai dans {wait:.0f} s</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>retry later</source>
        <translation>réessayez plus tard</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>{service} quota exceeded (HTTP 429) for the {what}: {when}.</source>
        <translation>Quota {service} dépassé (HTTP 429) pour {what} : {when}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>{service} does not know this {what} (HTTP 404): {response}</source>
        <translation>{service} ne trouve pas l’objet de {what} (HTTP 404) : {response}</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>{service} refused the {what} (HTTP {status}): {response}</source>
        <translation>{service} a refusé {what} (HTTP {status}) : {response}</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>{service} answered the {what} without {items}: {data}</source>
        <translation>La réponse de {service} pour {what} ne contient pas {items} : {data}</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>{service} answered the {what} with {items} of the wrong type: {data}</source>
        <translation>La réponse de {service} pour {what} contient {items} d’un type inattendu : {data}</translation>
    </message>
    <message>
        <location filename="../plugin/core/tiles.py"/>
        <source>a Sentinel-2 tile is zone 01-60, a latitude band C-X (no I, O) and a 100 km square that exists in that zone and band, for example 31TCJ (Toulouse) or 33UVP</source>
        <translation>une tuile Sentinel-2 s’écrit fuseau 01-60, bande de latitude C-X (sans I ni O) et carré de 100 km existant dans ce fuseau et cette bande, par exemple 31TCJ (Toulouse) ou 33UVP</translation>
    </message>
    <message>
        <location filename="../plugin/core/tiles.py"/>
        <source>{tile!r}: zone {zone:02d} does not exist (zones are 01-60); {valid_form}.</source>
        <translation>{tile!r} : le fuseau {zone:02d} n’existe pas (les fuseaux vont de 01 à 60) ; {valid_form}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/tiles.py"/>
        <source>{tile!r}: zone {zone:02d} has no 100 km square {col}{row} (its columns are {value}-{value2}, rows A-V); {valid_form}.</source>
        <translation>{tile!r} : le fuseau {zone:02d} n’a pas de carré de 100 km {col}{row} (ses colonnes vont de {value} à {value2}, ses lignes de A à V) ; {valid_form}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/tiles.py"/>
        <source>{tile!r} is not in the Sentinel-2 grid (no square {col}{row} in zone {zone:02d}, band {band}); {valid_form}.</source>
        <translation>{tile!r} n’est pas dans la grille Sentinel-2 (pas de carré {col}{row} dans le fuseau {zone:02d}, bande {band}) ; {valid_form}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/tiles.py"/>
        <source>Point ({lon}, {lat}) is not a longitude/latitude in degrees.</source>
        <translation>Le point ({lon}, {lat}) n’est pas une longitude/latitude en degrés.</translation>
    </message>
    <message>
        <location filename="../plugin/core/tiles.py"/>
        <source>The extent covers more than {limit} Sentinel-2 tiles: zoom in, draw a smaller extent, or pick tiles by id.</source>
        <translation>L’emprise couvre plus de {limit} tuiles Sentinel-2 : zoomez, dessinez une emprise plus petite ou choisissez des tuiles par leur identifiant.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>Results: {n} products, {offline} on tape</source>
        <translation>Résultats : {n} produits, dont {offline} sur bande</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>Results: {n} products</source>
        <translation>Résultats : {n} produits</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>Search cancelled.</source>
        <translation>Recherche annulée.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>{n} of {total} ticked · {size}</source>
        <translation>{n} cochés sur {total} · {size}</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>{shown} shown</source>
        <translation>{shown} affichés</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>No results yet: choose where and what, then Search.</source>
        <translation>Pas encore de résultats : choisissez où et quoi, puis Rechercher.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>&lt;b&gt;{date}&lt;/b&gt; {platform} · tile {tile} · cloud {cloud}&lt;br&gt;&lt;small&gt;{title}&lt;/small&gt;</source>
        <translation>&lt;b&gt;{date}&lt;/b&gt; {platform} · tuile {tile} · nuages {cloud}&lt;br&gt;&lt;small&gt;{title}&lt;/small&gt;</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>Quicklook of the product under the cursor in the table.</source>
        <translation>Aperçu du produit sélectionné dans le tableau.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>no
quicklook</source>
        <translation>pas
d’aperçu</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>Tick at least one product in the table (or use the select-all button).</source>
        <translation>Cochez au moins un produit dans le tableau (ou utilisez le bouton « tout cocher »).</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>{done} of {total} downloaded</source>
        <translation>{done} téléchargés sur {total}</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>, {n} {index}</source>
        <translation>, {n} {index}</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>; {n} failed: {why}</source>
        <translation> ; {n} en échec : {why}</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>hover the state for why.</source>
        <translation>survolez l’état pour en voir la raison.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>Open folder</source>
        <translation>Ouvrir le dossier</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>Download cancelled. Finished products are kept; the others resume where they stopped next time.</source>
        <translation>Téléchargement annulé. Les produits terminés sont conservés ; les autres reprendront là où ils se sont arrêtés la prochaine fois.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>Open settings</source>
        <translation>Ouvrir les paramètres</translation>
    </message>
    <message>
        <location filename="../plugin/gui/download_run.py"/>
        <source>Layers %p %</source>
        <translation>Couches %p %</translation>
    </message>
    <message>
        <location filename="../plugin/gui/download_run.py"/>
        <source>Cancelled: a partial download resumes where it stopped next time.</source>
        <translation>Annulé : un téléchargement partiel reprendra là où il s’est arrêté la prochaine fois.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/footprints.py"/>
        <source>Sentinel Mirror: search results</source>
        <translation>Sentinel Mirror : résultats de recherche</translation>
    </message>
    <message>
        <location filename="../plugin/gui/footprints.py"/>
        <source>not ticked</source>
        <translation>non coché</translation>
    </message>
    <message>
        <location filename="../plugin/gui/footprints.py"/>
        <source>ticked for download</source>
        <translation>coché pour le téléchargement</translation>
    </message>
    <message>
        <location filename="../plugin/gui/inputs.py"/>
        <source>Tile ids are a UTM zone (01-60), a latitude band letter (C-X, no I/O) and two letters (no I/O), e.g. 31TCJ; a leading T is accepted.</source>
        <translation>Une tuile s’écrit fuseau UTM (01-60), lettre de bande de latitude (C-X, sans I ni O) et deux lettres (sans I ni O), par ex. 31TCJ ; un T initial est accepté.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/inputs.py"/>
        <source>{text!r} cannot become a tile id. {hint}</source>
        <translation>{text!r} ne peut pas devenir un identifiant de tuile. {hint}</translation>
    </message>
    <message>
        <location filename="../plugin/gui/options_page.py"/>
        <source>Overridden in this session by the environment: {names}.</source>
        <translation>Remplacées dans cette session par l’environnement : {names}.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/options_page.py"/>
        <source>Environment variables SENTINEL_MIRROR_GEODES_URL, _CDSE_URL, _CDSE_AUTH_URL, _CDSE_DOWNLOAD_URL override these for headless runs.</source>
        <translation>Les variables d’environnement SENTINEL_MIRROR_GEODES_URL, _CDSE_URL, _CDSE_AUTH_URL, _CDSE_DOWNLOAD_URL les remplacent pour les exécutions sans interface.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/options_page.py"/>
        <source>{service}: test cancelled.</source>
        <translation>{service} : test annulé.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/options_page.py"/>
        <source>{service}: testing…</source>
        <translation>{service} : test en cours…</translation>
    </message>
    <message>
        <location filename="../plugin/gui/quicklook.py"/>
        <source>The catalogue gives no quicklook for this product.</source>
        <translation>Le catalogue ne fournit pas d’aperçu pour ce produit.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/quicklook.py"/>
        <source>The quicklook is not an image QGIS can read.</source>
        <translation>L’aperçu n’est pas une image lisible par QGIS.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_model.py"/>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_model.py"/>
        <source>Tile</source>
        <translation>Tuile</translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_model.py"/>
        <source>Cloud</source>
        <translation>Nuages</translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_model.py"/>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_model.py"/>
        <source>Online</source>
        <translation>En ligne</translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_model.py"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_model.py"/>
        <source>Acquisition date (UTC). Tick the products to download.</source>
        <translation>Date d’acquisition (UTC). Cochez les produits à télécharger.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_model.py"/>
        <source>Sentinel-2 tile (MGRS grid square of 110 km).</source>
        <translation>Tuile Sentinel-2 (carré de 110 km de la grille MGRS).</translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_model.py"/>
        <source>Cloud cover (%) of the whole tile, as the catalogue reports it.</source>
        <translation>Couverture nuageuse (%) de toute la tuile, selon le catalogue.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_model.py"/>
        <source>Size of the archive to download.</source>
        <translation>Taille de l’archive à télécharger.</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/messages.py"/>
        <source>staging</source>
        <translation>en transfert</translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_model.py"/>
        <source>downloading {pct:.0f} %</source>
        <translation>téléchargement {pct:.0f} %</translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_model.py"/>
        <source>downloading {size}</source>
        <translation>téléchargement {size}</translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_model.py"/>
        <source>relative orbit {orbit}</source>
        <translation>orbite relative {orbit}</translation>
    </message>
    <message>
        <location filename="../plugin/gui/search_form.py"/>
        <source>CNES GEODES: the former PEPS (L1C, S1) and Theia (MAJA L2A) collections. Searching needs no account; downloading needs an API key (gear button).</source>
        <translation>CNES GEODES : les anciennes collections PEPS (L1C, S1) et Theia (MAJA L2A). La recherche ne demande pas de compte ; le téléchargement demande une clé d’API (bouton engrenage).</translation>
    </message>
    <message>
        <location filename="../plugin/gui/search_form.py"/>
        <source>Copernicus Data Space Ecosystem: Sentinel-2 L1C/L2A (Sen2Cor), Sentinel-1. Downloading needs a CDSE account (gear button).</source>
        <translation>Copernicus Data Space Ecosystem : Sentinel-2 L1C/L2A (Sen2Cor), Sentinel-1. Le téléchargement demande un compte CDSE (bouton engrenage).</translation>
    </message>
    <message>
        <location filename="../plugin/gui/search_form.py"/>
        <source>Show the Sentinel-2 tile grid over the map view.</source>
        <translation>Afficher la grille des tuiles Sentinel-2 sur la carte.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/search_form.py"/>
        <source>L2A surface reflectance is what NDVI should use.</source>
        <translation>Le NDVI doit être calculé sur la réflectance de surface L2A.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/search_form.py"/>
        <source>The end date is before the start date: move one of them.</source>
        <translation>La date de fin précède la date de début : modifiez l’une des deux.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/search_form.py"/>
        <source>Type a tile id (e.g. 31TCJ), pick one on the map, or choose Extent.</source>
        <translation>Saisissez une tuile (par ex. 31TCJ), choisissez-en une sur la carte, ou passez à l’emprise.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/search_form.py"/>
        <source>The end date {end} is before the start date {start}: move one of them.</source>
        <translation>La date de fin {end} précède la date de début {start} : modifiez l’une des deux.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/tile_grid.py"/>
        <source>The map view has no longitude/latitude extent.</source>
        <translation>La vue de la carte n’a pas d’emprise en longitude/latitude.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/tile_grid.py"/>
        <source>Zoom in to see the Sentinel-2 tile grid.</source>
        <translation>Zoomez pour voir la grille des tuiles Sentinel-2.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/tile_picker.py"/>
        <source>Use tile {tile}</source>
        <translation>Utiliser la tuile {tile}</translation>
    </message>
    <message>
        <location filename="../plugin/main.py"/>
        <source>{name} Help</source>
        <translation>Aide de {name}</translation>
    </message>
    <message>
        <location filename="../plugin/main.py"/>
        <source>Open the {name} documentation</source>
        <translation>Ouvrir la documentation de {name}</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_download.py"/>
        <source>Download Sentinel products</source>
        <translation>Télécharger des produits Sentinel</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_download.py"/>
        <source>Footprints (products to download)</source>
        <translation>Empreintes (produits à télécharger)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_search.py"/>
        <source>Authentication configuration</source>
        <translation>Configuration d’authentification</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_download.py"/>
        <source>Load downloaded products (natural colour)</source>
        <translation>Charger les produits téléchargés (couleurs naturelles)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_download.py"/>
        <source>Download folder</source>
        <translation>Dossier de téléchargement</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_download.py"/>
        <source>Download report</source>
        <translation>Rapport de téléchargement</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_download.py"/>
        <source>Downloaded product archives</source>
        <translation>Archives des produits téléchargés</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_download.py"/>
        <source>Products downloaded</source>
        <translation>Produits téléchargés</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>Products failed</source>
        <translation>Produits en échec</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_download.py"/>
        <source>The footprints layer has no product (or no selected feature): run a search first, or select the products to download.</source>
        <translation>La couche d’empreintes ne contient aucun produit (ou aucune entité sélectionnée) : lancez d’abord une recherche, ou sélectionnez les produits à télécharger.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_download.py"/>
        <source>The footprints mix catalogues ({items}): download each catalogue&apos;s products separately.</source>
        <translation>Les empreintes mélangent plusieurs catalogues ({items}) : téléchargez séparément les produits de chaque catalogue.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_download.py"/>
        <source>The pipeline did not report this product.</source>
        <translation>La chaîne de téléchargement n’a rien signalé pour ce produit.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_download.py"/>
        <source>{done} of {total} products downloaded and verified in {folder}.</source>
        <translation>{done} produits sur {total} téléchargés et vérifiés dans {folder}.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_download.py"/>
        <source>No product could be downloaded. {title}: {value}</source>
        <translation>Aucun produit n’a pu être téléchargé. {title} : {value}</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_download.py"/>
        <source>{title}: no natural-colour view ({reason}).</source>
        <translation>{title} : pas de vue en couleurs naturelles ({reason}).</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/layers.py"/>
        <source>Natural colour</source>
        <translation>Couleurs naturelles</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>Indices</source>
        <translation>Indices</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>NDVI of Sentinel-2 products</source>
        <translation>NDVI de produits Sentinel-2</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>Product archives (.zip)</source>
        <translation>Archives de produits (.zip)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>Or a folder of product archives</source>
        <translation>Ou un dossier d’archives de produits</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>Mask clouds (and shadows, edges)</source>
        <translation>Masquer les nuages (et les ombres, les bords)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>NDVI folder</source>
        <translation>Dossier NDVI</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>NDVI rasters</source>
        <translation>Rasters NDVI</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>Products computed</source>
        <translation>Produits calculés</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>No product archive given: choose downloaded product zips or the folder they were downloaded to.</source>
        <translation>Aucune archive de produit indiquée : choisissez les zips téléchargés ou le dossier où ils ont été téléchargés.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_search.py"/>
        <source>Sentinel-2 L2A surface reflectance (for NDVI)</source>
        <translation>Sentinel-2 L2A, réflectance de surface (pour le NDVI)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_search.py"/>
        <source>Sentinel-1 radar (download only)</source>
        <translation>Sentinel-1 radar (téléchargement seulement)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_search.py"/>
        <source>{provider} has no {value} collection.</source>
        <translation>{provider} n’a pas de collection « {value} ».</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_search.py"/>
        <source>Search Sentinel products</source>
        <translation>Rechercher des produits Sentinel</translation>
    </message>
    <message>
        <location filename="../plugin/processing/base.py"/>
        <source>Catalogue</source>
        <translation>Catalogue</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_search.py"/>
        <source>Product level</source>
        <translation>Niveau de produit</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_search.py"/>
        <source>Sentinel-2 tile (e.g. 31TCJ)</source>
        <translation>Tuile Sentinel-2 (par ex. 31TCJ)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_search.py"/>
        <source>Or an extent (any CRS)</source>
        <translation>Ou une emprise (n’importe quel SCR)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_search.py"/>
        <source>Start date</source>
        <translation>Date de début</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_search.py"/>
        <source>End date (inclusive)</source>
        <translation>Date de fin (incluse)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_search.py"/>
        <source>Maximum cloud cover (%)</source>
        <translation>Couverture nuageuse maximale (%)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_search.py"/>
        <source>Footprints</source>
        <translation>Empreintes</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_search.py"/>
        <source>{n} products found: {online} online, {tape} on tape.</source>
        <translation>{n} produits trouvés : {online} en ligne, {tape} sur bande.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_search.py"/>
        <source>Footprints {where} {start}…{end} ({service})</source>
        <translation>Empreintes {where} {start}…{end} ({service})</translation>
    </message>
    <message>
        <location filename="../plugin/tasks/search_task.py"/>
        <source>extent</source>
        <translation>emprise</translation>
    </message>
    <message>
        <location filename="../plugin/processing/footprints.py"/>
        <source>The layer is not a Sentinel Mirror footprints layer (no {items} field): use the output of &apos;Search Sentinel products&apos;.</source>
        <translation>Cette couche n’est pas une couche d’empreintes Sentinel Mirror (pas de champ {items}) : utilisez la sortie de « Rechercher des produits Sentinel ».</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>Tile NDVI time series</source>
        <translation>Série temporelle NDVI d’une tuile</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>Models</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>Sentinel-2 tile</source>
        <translation>Tuile Sentinel-2</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>Products folder</source>
        <translation>Dossier des produits</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>Sentinel-2 tile id, e.g. 31TCJ (Toulouse).</source>
        <translation>Identifiant de tuile Sentinel-2, par ex. 31TCJ (Toulouse).</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>Products cloudier than this (catalogue figure, %) are skipped.</source>
        <translation>Les produits plus nuageux que cela (valeur du catalogue, %) sont ignorés.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>GEODES: a Basic config with the API key as password; CDSE: Basic username/password. Empty: the one chosen in Settings &gt; Options &gt; Sentinel Mirror.</source>
        <translation>GEODES : une configuration Basic avec la clé d’API en guise de mot de passe ; CDSE : Basic avec identifiant et mot de passe. Vide : celle choisie dans Préférences &gt; Options &gt; Sentinel Mirror.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>Cannot read the model {path}</source>
        <translation>Impossible de lire le modèle {path}</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/auth.py"/>
        <source>The QGIS authentication system is disabled (its database could not be opened): check Settings &gt; Options &gt; Authentication.</source>
        <translation>Le système d’authentification de QGIS est désactivé (sa base de données n’a pas pu être ouverte) : vérifiez Préférences &gt; Options &gt; Authentification.</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/auth.py"/>
        <source>The authentication configuration {authcfg!r} does not exist: choose another one in Settings &gt; Options &gt; Sentinel Mirror.</source>
        <translation>La configuration d’authentification {authcfg!r} n’existe pas : choisissez-en une autre dans Préférences &gt; Options &gt; Sentinel Mirror.</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/auth.py"/>
        <source>The authentication configuration {authcfg!r} could not be decrypted: unlock the QGIS master password and try again.</source>
        <translation>La configuration d’authentification {authcfg!r} n’a pas pu être déchiffrée : déverrouillez le mot de passe principal de QGIS et réessayez.</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/auth.py"/>
        <source>The authentication configuration {id!r} has no X-API-Key header.</source>
        <translation>La configuration d’authentification {id!r} n’a pas d’en-tête X-API-Key.</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/auth.py"/>
        <source>The authentication configuration {id!r} uses the {method} method: for GEODES use Basic with the API key as the password.</source>
        <translation>La configuration d’authentification {id!r} utilise la méthode {method} : pour GEODES, utilisez Basic avec la clé d’API en guise de mot de passe.</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/auth.py"/>
        <source>The authentication configuration {authcfg!r} has an empty password: put your GEODES API key there.</source>
        <translation>La configuration d’authentification {authcfg!r} a un mot de passe vide : mettez-y votre clé d’API GEODES.</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/auth.py"/>
        <source>The authentication configuration {authcfg!r} uses the {method} method: for CDSE use Basic with your username and password.</source>
        <translation>La configuration d’authentification {authcfg!r} utilise la méthode {method} : pour CDSE, utilisez Basic avec votre identifiant et votre mot de passe.</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/auth.py"/>
        <source>Unknown provider {provider!r}: choose geodes or cdse.</source>
        <translation>Fournisseur inconnu {provider!r} : choisissez geodes ou cdse.</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/geo.py"/>
        <source>The extent has no valid coordinate reference system: set the layer or project CRS.</source>
        <translation>L’emprise n’a pas de système de coordonnées valide : définissez le SCR de la couche ou du projet.</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/geo.py"/>
        <source>The extent cannot be expressed in longitude/latitude ({e}): choose an area inside the valid range of its CRS.</source>
        <translation>L’emprise ne peut pas être exprimée en longitude/latitude ({e}) : choisissez une zone dans le domaine de validité de son SCR.</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/layers.py"/>
        <source>downloaded and verified</source>
        <translation>téléchargé et vérifié</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/layers.py"/>
        <source>failed (see the reason field)</source>
        <translation>en échec (voir le champ reason)</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/messages.py"/>
        <source>cancelled</source>
        <translation>annulé</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/layers.py"/>
        <source>natural-colour view</source>
        <translation>la vue en couleurs naturelles</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/layers.py"/>
        <source>QGIS cannot open the {what} {path}.</source>
        <translation>QGIS ne peut pas ouvrir {what} {path}.</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/messages.py"/>
        <source>File error: {reason} ({file}).</source>
        <translation>Erreur de fichier : {reason} ({file}).</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/messages.py"/>
        <source>no file name</source>
        <translation>pas de nom de fichier</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/messages.py"/>
        <source>Unexpected error ({kind}: {error}). The details are in the log panel under {name}.</source>
        <translation>Erreur inattendue ({kind} : {error}). Les détails sont dans le panneau Journal des messages, onglet {name}.</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/messages.py"/>
        <source>offline</source>
        <translation>hors ligne</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/messages.py"/>
        <source>queued</source>
        <translation>en attente</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/messages.py"/>
        <source>downloading</source>
        <translation>téléchargement</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/messages.py"/>
        <source>verifying</source>
        <translation>vérification</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/messages.py"/>
        <source>done</source>
        <translation>terminé</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/messages.py"/>
        <source>failed</source>
        <translation>échec</translation>
    </message>
    <message>
        <location filename="../plugin/tasks/search_task.py"/>
        <source>tile {tile}</source>
        <translation>la tuile {tile}</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/messages.py"/>
        <source>this extent</source>
        <translation>cette emprise</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/messages.py"/>
        <source>No product found in {collection} for {where} between {start} and {end} with at most {max_cloud:g} % cloud: widen the dates, raise the cloud limit or check the tile.</source>
        <translation>Aucun produit trouvé dans {collection} pour {where} entre le {start} et le {end} avec au plus {max_cloud:g} % de nuages : élargissez les dates, relevez la limite de nuages ou vérifiez la tuile.</translation>
    </message>
    <message>
        <location filename="../plugin/tasks/connection_task.py"/>
        <source>Sentinel Mirror: test the {service} connection</source>
        <translation>Sentinel Mirror : test de la connexion {service}</translation>
    </message>
    <message>
        <location filename="../plugin/tasks/natural_colour_task.py"/>
        <source>Sentinel Mirror: natural-colour views of {n} products</source>
        <translation>Sentinel Mirror : vues en couleurs naturelles de {n} produits</translation>
    </message>
    <message>
        <location filename="../plugin/tasks/pipeline_task.py"/>
        <source>Sentinel Mirror: download 1 product from {service}</source>
        <translation>Sentinel Mirror : téléchargement d’un produit depuis {service}</translation>
    </message>
    <message>
        <location filename="../plugin/tasks/pipeline_task.py"/>
        <source>Sentinel Mirror: download {n} products from {service}</source>
        <translation>Sentinel Mirror : téléchargement de {n} produits depuis {service}</translation>
    </message>
    <message>
        <location filename="../plugin/tasks/quicklook_task.py"/>
        <source>Sentinel Mirror: quicklook of {product_id}</source>
        <translation>Sentinel Mirror : aperçu de {product_id}</translation>
    </message>
    <message>
        <location filename="../plugin/tasks/quicklook_task.py"/>
        <source>The quicklook could not be fetched (HTTP {status_code}).</source>
        <translation>L’aperçu n’a pas pu être récupéré (HTTP {status_code}).</translation>
    </message>
    <message>
        <location filename="../plugin/tasks/quicklook_task.py"/>
        <source>The quicklook is larger than 8 MB: not shown.</source>
        <translation>L’aperçu dépasse 8 Mo : il n’est pas affiché.</translation>
    </message>
    <message>
        <location filename="../plugin/tasks/quicklook_task.py"/>
        <source>The quicklook could not be fetched ({name}).</source>
        <translation>L’aperçu n’a pas pu être récupéré ({name}).</translation>
    </message>
    <message>
        <location filename="../plugin/tasks/search_task.py"/>
        <source>Sentinel Mirror: search {collection} {where} {start}…{end} ({service})</source>
        <translation>Sentinel Mirror : recherche {collection}, {where}, {start}…{end} ({service})</translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_model.py"/>
        <source>B</source>
        <translation>o</translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_model.py"/>
        <source>kB</source>
        <translation>ko</translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_model.py"/>
        <source>MB</source>
        <translation>Mo</translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_model.py"/>
        <source>GB</source>
        <translation>Go</translation>
    </message>
    <message>
        <location filename="../plugin/core/indices.py"/>
        <source>Unknown index {name!r}: choose one of {items}.</source>
        <translation>Indice inconnu {name!r} : choisissez parmi {items}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/indices.py"/>
        <source>Unknown output encoding {encoding!r}: choose float32 or int16.</source>
        <translation>Encodage de sortie inconnu {encoding!r} : choisissez float32 ou int16.</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi_batch.py"/>
        <source>The output resolution is 10 or 20 m, not {resolution!r}.</source>
        <translation>La résolution de sortie est de 10 ou 20 m, pas {resolution!r}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>{product_id} is a {value} product: it has no red, near-infrared or other optical bands, so no {name}.</source>
        <translation>{product_id} est un produit {value} : il n’a ni bande rouge, ni proche infrarouge, ni autre bande optique, donc pas d’indice {name}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>{product_id}: L1C product, {index} is top of atmosphere (no atmospheric correction).</source>
        <translation>{product_id} : produit L1C, l’indice {index} est calculé au sommet de l’atmosphère (sans correction atmosphérique).</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>{name} needs the bands {items}: {items2} missing.</source>
        <translation>{name} a besoin des bandes {items} : il manque {items2}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>The bands of {name} must have one shape, not {items}.</source>
        <translation>Les bandes de {name} doivent avoir une même forme, pas {items}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>{name}: cannot read {what} ({e}).</source>
        <translation>{name} : impossible de lire {what} ({e}).</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>its coordinate reference system differs</source>
        <translation>son système de coordonnées est différent</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>its corner is ({x:g}, {y:g}), not ({ref_x:g}, {ref_y:g})</source>
        <translation>son coin est en ({x:g}, {y:g}), pas en ({ref_x:g}, {ref_y:g})</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>its pixels are {width:g} x {height:g}, not {factor} x {ref:g}</source>
        <translation>ses pixels font {width:g} × {height:g}, pas {factor} × {ref:g}</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>it is {width} x {height} pixels, not {ref_width} x {ref_height}{divided}</source>
        <translation>elle fait {width} × {height} pixels, pas {ref_width} × {ref_height}{divided}</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>{name}: {what} ({basename}) is not on the grid of {basename2}: {problem}. The bands of one index must come from the same product.</source>
        <translation>{name} : {what} ({basename}) n’est pas sur la grille de {basename2} : {problem}. Les bandes d’un indice doivent venir du même produit.</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>{name}: cannot read the bands of {name2} ({e}).</source>
        <translation>{name} : impossible de lire les bandes de {name2} ({e}).</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>{name}: the bands are {w} x {h} pixels, far beyond a Sentinel-2 tile (10980 x 10980): refused (at most {max_side} pixels a side). Give the bands of one tile.</source>
        <translation>{name} : les bandes font {w} × {h} pixels, bien plus qu’une tuile Sentinel-2 (10980 × 10980) : refusé (au plus {max_side} pixels de côté). Donnez les bandes d’une seule tuile.</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>the {key} mask</source>
        <translation>le masque {key}</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>{name}: not enough memory for {w} x {h} pixels: close other programs or compute fewer products at once.</source>
        <translation>{name} : pas assez de mémoire pour {w} × {h} pixels : fermez d’autres programmes ou calculez moins de produits à la fois.</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi.py"/>
        <source>{name}: the window {window} is not inside the {w} x {h} pixel grid.</source>
        <translation>{name} : la fenêtre {window} n’est pas dans la grille de {w} × {h} pixels.</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi_batch.py"/>
        <source>No product archive to compute {name} from: give downloaded product zips or their folder.</source>
        <translation>Aucune archive de produit pour calculer l’indice {name} : indiquez les zips téléchargés ou leur dossier.</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi_batch.py"/>
        <source>{index} {n}/{total}: {name}</source>
        <translation>{index} {n}/{total} : {name}</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi_batch.py"/>
        <source>{archive} does not exist: give the path of a downloaded product archive.</source>
        <translation>{archive} n’existe pas : indiquez le chemin d’une archive de produit téléchargée.</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi_batch.py"/>
        <source>{index} could not be written or read ({e}).</source>
        <translation>{index} : écriture ou lecture impossible ({e}).</translation>
    </message>
    <message>
        <location filename="../plugin/core/ndvi_batch.py"/>
        <source>{name}: {index} failed ({kind}: {e}); the other products are computed.</source>
        <translation>{name} : échec de l’indice {index} ({kind} : {e}) ; les autres produits sont calculés.</translation>
    </message>
    <message>
        <location filename="../plugin/core/products.py"/>
        <source>{product_id} has no band {name} (this archive does not hold it): download the full product, or choose an index without {name}.</source>
        <translation>{product_id} n’a pas de bande {name} (cette archive ne la contient pas) : téléchargez le produit complet, ou choisissez un indice sans {name}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/timeseries/composites.py"/>
        <source>The period must be at least 1 day long.</source>
        <translation>La période doit durer au moins 1 jour.</translation>
    </message>
    <message>
        <location filename="../plugin/core/timeseries/composites.py"/>
        <source>{index} composite {start} to {end} ({tile}): {n} dates</source>
        <translation>Synthèse {index} du {start} au {end} ({tile}) : {n} dates</translation>
    </message>
    <message>
        <location filename="../plugin/core/timeseries/composites.py"/>
        <source>grid</source>
        <translation>grille</translation>
    </message>
    <message>
        <location filename="../plugin/core/timeseries/composites.py"/>
        <source>The step of the regular date grid must be at least 1 day.</source>
        <translation>Le pas de la grille régulière de dates doit être d’au moins 1 jour.</translation>
    </message>
    <message>
        <location filename="../plugin/core/timeseries/composites.py"/>
        <source>The regular date grid is empty: the end date is before the start date.</source>
        <translation>La grille régulière de dates est vide : la date de fin précède la date de début.</translation>
    </message>
    <message>
        <location filename="../plugin/core/timeseries/composites.py"/>
        <source>Gap-filled {index} ({tile}): {n} dates onto {targets}</source>
        <translation>{index} interpolé ({tile}) : {n} dates ramenées sur {targets}</translation>
    </message>
    <message>
        <location filename="../plugin/core/timeseries/geometry.py"/>
        <source>Unknown coordinate reference system {value!r}: {e}</source>
        <translation>Système de coordonnées inconnu {value!r} : {e}</translation>
    </message>
    <message>
        <location filename="../plugin/core/timeseries/geometry.py"/>
        <source>A parcel has no geometry: give polygons.</source>
        <translation>Une parcelle n’a pas de géométrie : donnez des polygones.</translation>
    </message>
    <message>
        <location filename="../plugin/core/timeseries/geometry.py"/>
        <source>A parcel is a {lower}, not a polygon: give polygons.</source>
        <translation>Une parcelle est de type {lower}, pas un polygone : donnez des polygones.</translation>
    </message>
    <message>
        <location filename="../plugin/core/timeseries/parcels.py"/>
        <source>No parcel given: choose a polygon layer with at least one feature.</source>
        <translation>Aucune parcelle : choisissez une couche de polygones avec au moins une entité.</translation>
    </message>
    <message>
        <location filename="../plugin/core/timeseries/parcels.py"/>
        <source>No parcel lies on the tiles of these products: check the parcels&apos; layer and the products folder cover the same area.</source>
        <translation>Aucune parcelle ne se trouve sur les tuiles de ces produits : vérifiez que la couche des parcelles et le dossier des produits couvrent la même zone.</translation>
    </message>
    <message>
        <location filename="../plugin/core/timeseries/sources.py"/>
        <source>{basename} has no acquisition date: give NDVI rasters written by this plugin (ACQUISITION_DATE metadata) or named with their date (YYYYMMDD).</source>
        <translation>{basename} n’a pas de date d’acquisition : donnez des rasters NDVI écrits par cette extension (métadonnée ACQUISITION_DATE) ou nommés avec leur date (AAAAMMJJ).</translation>
    </message>
    <message>
        <location filename="../plugin/core/timeseries/sources.py"/>
        <source>{p} does not exist: give product archives, NDVI rasters or their folder.</source>
        <translation>{p} n’existe pas : indiquez des archives de produits, des rasters NDVI ou leur dossier.</translation>
    </message>
    <message>
        <location filename="../plugin/core/timeseries/sources.py"/>
        <source>{label}: unreadable band or mask ({e}).</source>
        <translation>{label} : bande ou masque illisible ({e}).</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_chart.py"/>
        <source>blue (B2)</source>
        <translation>bleu (B2)</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_chart.py"/>
        <source>green (B3)</source>
        <translation>vert (B3)</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_chart.py"/>
        <source>red (B4)</source>
        <translation>rouge (B4)</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_chart.py"/>
        <source>NIR (B8)</source>
        <translation>PIR (B8)</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_chart.py"/>
        <source>The chart needs matplotlib, which this QGIS&apos;s Python lacks (Debian/Ubuntu: sudo apt install python3-matplotlib). The values are listed below and export to CSV.</source>
        <translation>Le graphique a besoin de matplotlib, absent du Python de ce QGIS (Debian/Ubuntu : sudo apt install python3-matplotlib). Les valeurs sont listées ci-dessous et s’exportent en CSV.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_chart.py"/>
        <source>valid</source>
        <translation>valide</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_chart.py"/>
        <source>masked</source>
        <translation>masqué</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_chart.py"/>
        <source>no data</source>
        <translation>sans donnée</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_chart.py"/>
        <source>date</source>
        <translation>date</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_chart.py"/>
        <source>state</source>
        <translation>état</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_chart.py"/>
        <source>valid %</source>
        <translation>% valide</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_chart.py"/>
        <source>surface reflectance</source>
        <translation>réflectance de surface</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_chart.py"/>
        <source>valid pixels (%)</source>
        <translation>pixels valides (%)</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_chart.py"/>
        <source>mean {index}</source>
        <translation>{index} moyen</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_chart.py"/>
        <source>masked (clouds, shadows, edges)</source>
        <translation>masqué (nuages, ombres, bords)</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_chart.py"/>
        <source> (p10 {p10:.3f}, p90 {p90:.3f}; valid {pct:.0f} %)</source>
        <translation> (p10 {p10:.3f}, p90 {p90:.3f} ; valide {pct:.0f} %)</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_chart.py"/>
        <source> ({pct:.0f} % masked)</source>
        <translation> ({pct:.0f} % masqué)</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_chart.py"/>
        <source>No chart to save: matplotlib is not installed.</source>
        <translation>Aucun graphique à enregistrer : matplotlib n’est pas installé.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>No polygon under the click: show a layer of fields, or draw the field.</source>
        <translation>Aucun polygone sous le clic : affichez une couche de parcelles, ou dessinez la parcelle.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>A field needs at least three corners: left-click them, then right-click.</source>
        <translation>Une parcelle a besoin d’au moins trois sommets : cliquez-les avec le bouton gauche, puis faites un clic droit.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>Folder of downloaded products</source>
        <translation>Dossier des produits téléchargés</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>Choose the folder the products were downloaded to (Products).</source>
        <translation>Choisissez le dossier où les produits ont été téléchargés (Produits).</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>point {x:.1f}, {y:.1f}</source>
        <translation>point {x:.1f}, {y:.1f}</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>field of {value:.1f} ha</source>
        <translation>parcelle de {value:.1f} ha</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>Reading the {place} from {folder}…</source>
        <translation>Lecture ({place}) depuis {folder}…</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>{n} dates, {masked} masked (clouds, shadows, edges). Hover for values; click a date to show it on the map.</source>
        <translation>{n} dates, dont {masked} masquées (nuages, ombres, bords). Survolez pour voir les valeurs ; cliquez sur une date pour l’afficher sur la carte.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>No product of the folder covers this place.</source>
        <translation>Aucun produit du dossier ne couvre cet endroit.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>Profile cancelled.</source>
        <translation>Profil annulé.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>Export the profile</source>
        <translation>Exporter le profil</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_statistics.py"/>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>Could not write {path}: {e}</source>
        <translation>Impossible d’écrire {path} : {e}</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>Profile written to {path}</source>
        <translation>Profil écrit dans {path}</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>Export the chart</source>
        <translation>Exporter le graphique</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>PNG images (*.png)</source>
        <translation>Images PNG (*.png)</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>Chart written to {path}</source>
        <translation>Graphique écrit dans {path}</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>{date}: {name} shown.</source>
        <translation>{date} : {name} affichée.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>{date}: no layer of that date is loaded.</source>
        <translation>{date} : aucune couche de cette date n’est chargée.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>{date}: {name} added to the map.</source>
        <translation>{date} : {name} ajoutée à la carte.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>{name}: time profile</source>
        <translation>{name} : profil temporel</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>Time profile: NDVI over time at a point or a field, from the downloaded products.</source>
        <translation>Profil temporel : le NDVI au fil du temps en un point ou sur une parcelle, à partir des produits téléchargés.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_statistics.py"/>
        <source>Time series</source>
        <translation>Séries temporelles</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_composite.py"/>
        <source>Calendar month</source>
        <translation>Mois calendaire</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_composite.py"/>
        <source>Every N days (from 1 January)</source>
        <translation>Tous les N jours (à partir du 1er janvier)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_composite.py"/>
        <source>Temporal composite</source>
        <translation>Synthèse temporelle</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_composite.py"/>
        <source>Period</source>
        <translation>Période</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_composite.py"/>
        <source>N (days, for &apos;every N days&apos;)</source>
        <translation>N (jours, pour « tous les N jours »)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_composite.py"/>
        <source>Composites folder</source>
        <translation>Dossier des synthèses</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_composite.py"/>
        <source>Composites</source>
        <translation>Synthèses</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_composite.py"/>
        <source>{n} composites written to {folder}.</source>
        <translation>{n} synthèses écrites dans {folder}.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_composite.py"/>
        <source>Composite</source>
        <translation>Synthèse</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_composite.py"/>
        <source>Gap-filled series</source>
        <translation>Série interpolée</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_composite.py"/>
        <source>Every N days</source>
        <translation>Tous les N jours</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_composite.py"/>
        <source>Gap-filled series folder</source>
        <translation>Dossier des séries interpolées</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_composite.py"/>
        <source>{n} gap-filled series written to {folder}.</source>
        <translation>{n} séries interpolées écrites dans {folder}.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>float32 (exact)</source>
        <translation>float32 (exact)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>Int16, compact (index x 10000, scale in the metadata)</source>
        <translation>Int16, compact (indice × 10000, échelle dans les métadonnées)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>10 m (20 m bands replicated 2 x 2)</source>
        <translation>10 m (bandes à 20 m dupliquées 2 × 2)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>20 m (10 m bands averaged 2 x 2)</source>
        <translation>20 m (bandes à 10 m moyennées 2 × 2)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>Index folder</source>
        <translation>Dossier des indices</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>Index rasters</source>
        <translation>Rasters d’indice</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>Spectral index (NDVI, NDWI, NBR...) of Sentinel-2 products</source>
        <translation>Indice spectral (NDVI, NDWI, NBR…) de produits Sentinel-2</translation>
    </message>
    <message>
        <location filename="../plugin/processing/series_inputs.py"/>
        <source>Index</source>
        <translation>Indice</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>Output encoding</source>
        <translation>Encodage de sortie</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>Output grid</source>
        <translation>Grille de sortie</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>No {index} could be computed. {name}: {value}</source>
        <translation>Aucun indice {index} n’a pu être calculé. {name} : {value}</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>{name}: computed from L1C, this is top-of-atmosphere {index}.</source>
        <translation>{name} : calculé à partir de L1C, c’est un indice {index} au sommet de l’atmosphère.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>{n} {index} rasters written to {folder}; {failed} products failed.</source>
        <translation>{n} rasters {index} écrits dans {folder} ; {failed} produits en échec.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>{n} {index} rasters written to {folder}.</source>
        <translation>{n} rasters {index} écrits dans {folder}.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_statistics.py"/>
        <source>Parcel statistics over time</source>
        <translation>Statistiques des parcelles dans le temps</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_statistics.py"/>
        <source>Parcels (polygons)</source>
        <translation>Parcelles (polygones)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_statistics.py"/>
        <source>Parcel id field (empty: feature id)</source>
        <translation>Champ identifiant de la parcelle (vide : identifiant de l’entité)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_statistics.py"/>
        <source>Count every pixel touched</source>
        <translation>Compter chaque pixel touché</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_statistics.py"/>
        <source>Parcel statistics</source>
        <translation>Statistiques des parcelles</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_statistics.py"/>
        <source>Wide CSV (one column per date)</source>
        <translation>CSV large (une colonne par date)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_statistics.py"/>
        <source>Parcel {id} has no geometry: skipped.</source>
        <translation>La parcelle {id} n’a pas de géométrie : ignorée.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_statistics.py"/>
        <source>{n} parcels lie outside every tile of the series (or are smaller than a pixel): no rows for them.</source>
        <translation>{n} parcelles sont hors de toutes les tuiles de la série (ou plus petites qu’un pixel) : aucune ligne pour elles.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_statistics.py"/>
        <source>{parcels} parcels x {n} acquisitions.</source>
        <translation>{parcels} parcelles × {n} acquisitions.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/series_inputs.py"/>
        <source>Folder of product zips or NDVI rasters</source>
        <translation>Dossier de zips de produits ou de rasters NDVI</translation>
    </message>
    <message>
        <location filename="../plugin/processing/series_inputs.py"/>
        <source>Or product zips / NDVI rasters</source>
        <translation>Ou des zips de produits / rasters NDVI</translation>
    </message>
    <message>
        <location filename="../plugin/processing/series_inputs.py"/>
        <source>From date (inclusive)</source>
        <translation>À partir du (inclus)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/series_inputs.py"/>
        <source>To date (inclusive)</source>
        <translation>Jusqu’au (inclus)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/series_inputs.py"/>
        <source>Mask clouds, shadows and edges (product zips)</source>
        <translation>Masquer les nuages, les ombres et les bords (zips de produits)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/series_inputs.py"/>
        <source>No series given: choose the folder of downloaded products (or of NDVI rasters).</source>
        <translation>Aucune série indiquée : choisissez le dossier des produits téléchargés (ou des rasters NDVI).</translation>
    </message>
    <message>
        <location filename="../plugin/processing/series_inputs.py"/>
        <source>The end date {end} is before the start date {start}: swap them.</source>
        <translation>La date de fin {end} précède la date de début {start} : inversez-les.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/series_inputs.py"/>
        <source>{name} skipped: {reason}</source>
        <translation>{name} ignoré : {reason}</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/layers.py"/>
        <source>Could not apply the index style {qml}: {message}</source>
        <translation>Impossible d’appliquer le style d’indice {qml} : {message}</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/layers.py"/>
        <source>{index} raster</source>
        <translation>le raster {index}</translation>
    </message>
    <message>
        <location filename="../plugin/tasks/ndvi_task.py"/>
        <source>Sentinel Mirror: {index} of 1 product</source>
        <translation>Sentinel Mirror : {index} d’un produit</translation>
    </message>
    <message>
        <location filename="../plugin/tasks/ndvi_task.py"/>
        <source>Sentinel Mirror: {index} of {n} products</source>
        <translation>Sentinel Mirror : {index} de {n} produits</translation>
    </message>
    <message>
        <location filename="../plugin/tasks/profile_task.py"/>
        <source>Sentinel Mirror: time profile</source>
        <translation>Sentinel Mirror : profil temporel</translation>
    </message>
    <message>
        <location filename="../plugin/tasks/profile_task.py"/>
        <source>Reading the products&apos; dates</source>
        <translation>Lecture des dates des produits</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>Parcel NDVI monitoring</source>
        <translation>Suivi NDVI des parcelles</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>Searches a Sentinel-2 tile over a date range, downloads every product found, computes one cloud-masked NDVI GeoTIFF per product, then the NDVI statistics of every parcel on every date (mean, median, std, p10, p90, valid and masked shares): a table to join to the parcels or to chart.</source>
        <translation>Cherche une tuile Sentinel-2 sur une période, télécharge tous les produits trouvés, calcule un GeoTIFF NDVI avec masque de nuages par produit, puis les statistiques NDVI de chaque parcelle à chaque date (moyenne, médiane, écart type, p10, p90, parts valide et masquée) : une table à joindre aux parcelles ou à représenter en graphique.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>The fields to monitor: polygons in any CRS.</source>
        <translation>Les parcelles à suivre : des polygones dans n’importe quel SCR.</translation>
    </message>
    <message>
        <location filename="../plugin/core/download.py"/>
        <source>Cannot write {title} in the download folder {folder} ({e}): choose a folder you can write to.</source>
        <translation>Impossible d’écrire {title} dans le dossier de téléchargement {folder} ({e}) : choisissez un dossier où vous pouvez écrire.</translation>
    </message>
    <message>
        <location filename="../plugin/core/download.py"/>
        <source>{title} is being downloaded into {folder} by another run (another QGIS window or qgis_process): waiting for it to finish.</source>
        <translation>{title} est en cours de téléchargement dans {folder} par une autre exécution (une autre fenêtre QGIS ou qgis_process) : attente de sa fin.</translation>
    </message>
    <message>
        <location filename="../plugin/core/download.py"/>
        <source>The server sent more data than {title} has ({e}): the download was stopped and will be tried again.</source>
        <translation>Le serveur a envoyé plus de données que n’en contient {title} ({e}) : le téléchargement a été arrêté et sera relancé.</translation>
    </message>
    <message>
        <location filename="../plugin/core/segments.py"/>
        <source>The server sent {title} compressed ({encoding}) although it was asked not to: the download was refused and will be tried again.</source>
        <translation>Le serveur a envoyé {title} compressé ({encoding}) alors qu’il lui était demandé de ne pas le faire : le téléchargement a été refusé et sera relancé.</translation>
    </message>
    <message>
        <location filename="../plugin/core/download.py"/>
        <source>it announced {size} bytes, the catalogue says {expected_size}</source>
        <translation>il a annoncé {size} octets, le catalogue en indique {expected_size}</translation>
    </message>
    <message>
        <location filename="../plugin/core/download.py"/>
        <source>more than the {expected_size} bytes the catalogue says</source>
        <translation>plus que les {expected_size} octets qu’indique le catalogue</translation>
    </message>
    <message>
        <location filename="../plugin/core/paths.py"/>
        <source>it is on a read-only disk</source>
        <translation>il est sur un disque en lecture seule</translation>
    </message>
    <message>
        <location filename="../plugin/core/paths.py"/>
        <source>permission denied</source>
        <translation>permission refusée</translation>
    </message>
    <message>
        <location filename="../plugin/core/paths.py"/>
        <source>part of its path is a file, not a folder</source>
        <translation>une partie de son chemin est un fichier, pas un dossier</translation>
    </message>
    <message>
        <location filename="../plugin/core/paths.py"/>
        <source>it is a file, not a folder</source>
        <translation>c’est un fichier, pas un dossier</translation>
    </message>
    <message>
        <location filename="../plugin/core/paths.py"/>
        <source>the disk is full</source>
        <translation>le disque est plein</translation>
    </message>
    <message>
        <location filename="../plugin/core/paths.py"/>
        <source>download folder</source>
        <translation>dossier de téléchargement</translation>
    </message>
    <message>
        <location filename="../plugin/core/paths.py"/>
        <source>No {what} is set: choose one.</source>
        <translation>Aucun {what} n’est défini : choisissez-en un.</translation>
    </message>
    <message>
        <location filename="../plugin/core/paths.py"/>
        <source>The {what} {folder} is a file, not a folder: choose a folder.</source>
        <translation>Le {what} {folder} est un fichier, pas un dossier : choisissez un dossier.</translation>
    </message>
    <message>
        <location filename="../plugin/core/paths.py"/>
        <source>Cannot write in the {what} {folder} ({e}): choose a folder you can write to.</source>
        <translation>Impossible d’écrire dans le {what} {folder} ({e}) : choisissez un dossier où vous pouvez écrire.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>{service} sent a malformed answer to the {what} ({why}): {value}. Try again later; if it persists, the service is broken or has changed.</source>
        <translation>{service} a envoyé une réponse mal formée pour {what} ({why}) : {value}. Réessayez plus tard ; si cela persiste, le service est en panne ou a changé.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>{service} sent a malformed answer to the {what}: more than {value} MB, far more than any catalogue answer, so it was cut off. Try again later; if it persists, the service is broken.</source>
        <translation>{service} a envoyé une réponse mal formée pour {what} : plus de {value} Mo, bien plus qu’aucune réponse de catalogue, elle a donc été coupée. Réessayez plus tard ; si cela persiste, le service est en panne.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>The {service} answer to the {what} broke off ({name}): check your connection or try later.</source>
        <translation>La réponse de {service} pour {what} s’est interrompue ({name}) : vérifiez votre connexion ou réessayez plus tard.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>The {service} answer to the {what} broke off ({body} of {length} bytes): check your connection or try later.</source>
        <translation>La réponse de {service} pour {what} s’est interrompue ({body} octets sur {length}) : vérifiez votre connexion ou réessayez plus tard.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>{service} sent a malformed answer to the {what}: more than {value} MB.</source>
        <translation>{service} a envoyé une réponse mal formée pour {what} : plus de {value} Mo.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>{service} sent a malformed answer to the {what} ({name}: {value}). Try again later; if it persists, the service is broken or has changed.</source>
        <translation>{service} a envoyé une réponse mal formée pour {what} ({name} : {value}). Réessayez plus tard ; si cela persiste, le service est en panne ou a changé.</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/calibration.py"/>
        <source>A calibration/noise vector misses its {what} values.</source>
        <translation>Un vecteur de calibration/bruit n’a pas ses valeurs {what}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/calibration.py"/>
        <source>A calibration/noise file is not valid XML ({e}).</source>
        <translation>Un fichier de calibration/bruit n’est pas du XML valide ({e}).</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/calibration.py"/>
        <source>A {value_tag} vector has {value} values for {value2} pixels: the calibration/noise file is corrupt.</source>
        <translation>Un vecteur {value_tag} a {value} valeurs pour {value2} pixels : le fichier de calibration/bruit est corrompu.</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/calibration.py"/>
        <source>No {value_tag} vectors found: not a Sentinel-1 calibration/noise file.</source>
        <translation>Aucun vecteur {value_tag} trouvé : ce n’est pas un fichier de calibration/bruit Sentinel-1.</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/flood.py"/>
        <source>Unknown method {method!r}: use &apos;ratio&apos; (VH) or &apos;difference&apos; (VV).</source>
        <translation>Méthode inconnue {method!r} : utilisez « ratio » (VH) ou « difference » (VV).</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/flood.py"/>
        <source>The speckle filter is &apos;lee&apos;, &apos;boxcar&apos; or &apos;none&apos;.</source>
        <translation>Le filtre de chatoiement est « lee », « boxcar » ou « none ».</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/flood.py"/>
        <source>The filter window must be an odd number of pixels (got {window}).</source>
        <translation>La fenêtre du filtre doit être un nombre impair de pixels (reçu {window}).</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/flood.py"/>
        <source>The geocoding resampling is &apos;nearest&apos; or &apos;bilinear&apos;.</source>
        <translation>Le rééchantillonnage du géocodage est « nearest » ou « bilinear ».</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/flood.py"/>
        <source>The resolution must be positive (metres).</source>
        <translation>La résolution doit être positive (en mètres).</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/flood.py"/>
        <source>Flooded area: {flooded_ha:,.1f} ha ({km2:,.2f} km²) in {polygon_count} areas.</source>
        <translation>Surface inondée : {flooded_ha:,.1f} ha ({km2:,.2f} km²) en {polygon_count} zones.</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/flood.py"/>
        <source>Grid: EPSG:{epsg}, {nx} x {ny} pixels at {res:g} m.</source>
        <translation>Grille : EPSG:{epsg}, {nx} × {ny} pixels à {res:g} m.</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/flood.py"/>
        <source>Change detection...</source>
        <translation>Détection des changements…</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/flood.py"/>
        <source>Removing small areas...</source>
        <translation>Suppression des petites zones…</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/flood.py"/>
        <source>Polygons...</source>
        <translation>Polygones…</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/flood.py"/>
        <source>Pairing relative orbit {orbit}: before {before}, after {day} ({n_before} + {n_after} products; the others are not used).</source>
        <translation>Appariement sur l’orbite relative {orbit} : avant le {before}, après le {day} ({n_before} + {n_after} produits ; les autres ne sont pas utilisés).</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/flood.py"/>
        <source>No before and after products share a relative orbit: choose products of the same relative orbit (same track) before and after the flood.</source>
        <translation>Aucun produit avant et après ne partage une orbite relative : choisissez des produits de la même orbite relative (même trace) avant et après l’inondation.</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/flood.py"/>
        <source>The products lie on different relative orbits ({items}): choose before and after products of the same relative orbit.</source>
        <translation>Les produits sont sur des orbites relatives différentes ({items}) : choisissez des produits avant et après de la même orbite relative.</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/flood.py"/>
        <source>The &apos;after&apos; products are not later than the &apos;before&apos; ones: swap them.</source>
        <translation>Les produits « après » ne sont pas postérieurs aux produits « avant » : inversez-les.</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/flood.py"/>
        <source>The water layer cannot be read ({e}): choose a polygon layer.</source>
        <translation>La couche d’eau ne peut pas être lue ({e}) : choisissez une couche de polygones.</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/flood.py"/>
        <source>The DEM cannot be read ({e}): choose an elevation raster.</source>
        <translation>Le MNT ne peut pas être lu ({e}) : choisissez un raster d’altitude.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>The area of interest is empty: draw or choose an area.</source>
        <translation>La zone d’intérêt est vide : dessinez ou choisissez une zone.</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/geocode.py"/>
        <source>The area is {value:.0f} x {value2:.0f} km: choose a smaller area (or a coarser resolution).</source>
        <translation>La zone fait {value:.0f} × {value2:.0f} km : choisissez une zone plus petite (ou une résolution plus grossière).</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/grd.py"/>
        <source>{name} has no {pol} polarisation (it has {value}): choose a method that uses {items}.</source>
        <translation>{name} n’a pas de polarisation {pol} (il a {value}) : choisissez une méthode qui utilise {items}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/grd.py"/>
        <source>{name}: no such file ({path}).</source>
        <translation>{name} : fichier introuvable ({path}).</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/grd.py"/>
        <source>{name} misses {value}: it is not a complete Sentinel-1 GRD product; download it again.</source>
        <translation>Il manque {value} dans {name} : ce n’est pas un produit Sentinel-1 GRD complet ; téléchargez-le à nouveau.</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/grd.py"/>
        <source>{name} is not a Sentinel-1 GRD product (no measurement/*-grd-*.tiff in it): the flood map needs IW GRD products.</source>
        <translation>{name} n’est pas un produit Sentinel-1 GRD (aucun measurement/*-grd-*.tiff dedans) : la carte d’inondation a besoin de produits IW GRD.</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/grd.py"/>
        <source>{name}: {value} is not valid XML ({e}).</source>
        <translation>{name} : {value} n’est pas du XML valide ({e}).</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/grd.py"/>
        <source>The annotation misses {value}: not a Sentinel-1 GRD annotation.</source>
        <translation>Il manque {value} dans l’annotation : ce n’est pas une annotation Sentinel-1 GRD.</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/grd.py"/>
        <source>The annotation has fewer than 4 geolocation grid points: cannot geocode.</source>
        <translation>L’annotation a moins de 4 points de la grille de géolocalisation : géocodage impossible.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>{reason} (Settings → Options → Sentinel Mirror)</source>
        <translation>{reason} (Préférences → Options → Sentinel Mirror)</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/flood_layers.py"/>
        <source>Flood map</source>
        <translation>Carte d’inondation</translation>
    </message>
    <message>
        <location filename="../plugin/gui/flood_action.py"/>
        <source>Map the flood between the two ticked Sentinel-1 dates over the map&apos;s extent (download them first). Radar change detection, no terrain correction.</source>
        <translation>Cartographier l’inondation entre les deux dates Sentinel-1 cochées sur l’emprise de la carte (téléchargez-les d’abord). Détection de changements radar, sans correction du relief.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/flood_action.py"/>
        <source>Download both dates first (Download), then click Flood map.</source>
        <translation>Téléchargez d’abord les deux dates (Télécharger), puis cliquez sur Carte d’inondation.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/flood_action.py"/>
        <source>Mapping the flood over the map's extent…</source>
        <translation>Cartographie de l’inondation sur l’emprise de la carte…</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>UN-SPIDER: VH, after / before (dB) above the threshold (1.25)</source>
        <translation>UN-SPIDER : VH, après / avant (dB) au-dessus du seuil (1,25)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Earth Engine demo: VV, after - before below the threshold (-3 dB)</source>
        <translation>Démo Earth Engine : VV, après - avant sous le seuil (-3 dB)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Boxcar (mean)</source>
        <translation>Boxcar (moyenne)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>None</source>
        <translation>Aucun</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Nearest neighbour (fast)</source>
        <translation>Plus proche voisin (rapide)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Bilinear</source>
        <translation>Bilinéaire</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Radar</source>
        <translation>Radar</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Flood map from Sentinel-1 (before / after)</source>
        <translation>Carte d’inondation Sentinel-1 (avant / après)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Maps the flooded area between Sentinel-1 GRD products acquired before and after a flood, by change detection, read straight from the downloaded zips (no SNAP): calibration to sigma0 (ESA&apos;s LUTs, thermal noise removed), geocoding onto one UTM grid of the area (20 m) through the products&apos; ground control points, speckle filter, then UN-SPIDER&apos;s ratio on VH or the Earth Engine demo&apos;s difference on VV. Permanent water (already dark before, or a water layer you give), slopes above a limit (with a DEM) and flooded areas smaller than a minimum are left out.

Give the products of one relative orbit (same track), before and after; several per date are consecutive slices of one pass. If you give more passes, the first pass after and the last pass before it on the same relative orbit are used.

Outputs: a raster (1 flooded, 0 not, no data outside the images and where masked), flood polygons with their area in hectares, and the flooded area. No terrain correction: in hilly areas the map is misplaced; use it on floodplains.</source>
        <translation>Cartographie la surface inondée entre des produits Sentinel-1 GRD acquis avant et après une inondation, par détection de changements, lus directement dans les zips téléchargés (sans SNAP) : calibration en sigma0 (LUT de l’ESA, bruit thermique retiré), géocodage sur une grille UTM de la zone (20 m) par les points de contrôle des produits, filtre de chatoiement, puis le rapport de UN-SPIDER sur VH ou la différence de la démo Earth Engine sur VV. L’eau permanente (déjà sombre avant, ou une couche d’eau que vous fournissez), les pentes au-delà d’une limite (avec un MNT) et les zones inondées plus petites qu’un minimum sont exclues.

Indiquez les produits d’une même orbite relative (même trace), avant et après ; plusieurs par date sont des tranches consécutives d’un même passage. Si vous donnez plus de passages, le premier passage après et le dernier passage avant lui sur la même orbite relative sont utilisés.

Sorties : un raster (1 inondé, 0 non inondé, sans donnée hors des images et là où c’est masqué), des polygones d’inondation avec leur surface en hectares, et la surface inondée. Pas de correction du relief : en zone vallonnée, la carte est décalée ; utilisez-la sur des plaines inondables.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Sentinel-1 GRD before the flood (.zip)</source>
        <translation>Sentinel-1 GRD avant l’inondation (.zip)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Sentinel-1 GRD after the flood (.zip)</source>
        <translation>Sentinel-1 GRD après l’inondation (.zip)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Area of interest</source>
        <translation>Zone d’intérêt</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Method</source>
        <translation>Méthode</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Threshold (empty: the method&apos;s own)</source>
        <translation>Seuil (vide : celui de la méthode)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Permanent water layer (optional)</source>
        <translation>Couche d’eau permanente (facultative)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Elevation (DEM, optional)</source>
        <translation>Altitude (MNT, facultatif)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Maximum slope (degrees, with a DEM)</source>
        <translation>Pente maximale (degrés, avec un MNT)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Minimum flooded area (ha)</source>
        <translation>Surface inondée minimale (ha)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Speckle filter</source>
        <translation>Filtre de chatoiement (speckle)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Filter window (pixels, odd)</source>
        <translation>Fenêtre du filtre (pixels, impair)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Resolution (m)</source>
        <translation>Résolution (m)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Geocoding resampling</source>
        <translation>Rééchantillonnage du géocodage</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Remove thermal noise</source>
        <translation>Retirer le bruit thermique</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Permanent water: before below (dB; empty: -22 VH / -16 VV)</source>
        <translation>Eau permanente : avant sous (dB ; vide : -22 VH / -16 VV)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Flood raster</source>
        <translation>Raster d’inondation</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/flood_layers.py"/>
        <source>Flood polygons</source>
        <translation>Polygones d’inondation</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Flooded area (ha)</source>
        <translation>Surface inondée (ha)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_flood.py"/>
        <source>Flooded areas (polygons)</source>
        <translation>Zones inondées (polygones)</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/flood_layers.py"/>
        <source>Flooded (1)</source>
        <translation>Inondé (1)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/footprints.py"/>
        <source>The footprints layer has an invalid {name} for {title} ({value!r}): correct it, or run &apos;Search Sentinel products&apos; again for a fresh layer.</source>
        <translation>La couche d’empreintes a une valeur {name} invalide pour {title} ({value!r}) : corrigez-la, ou relancez « Rechercher des produits Sentinel » pour obtenir une nouvelle couche.</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/flood_layers.py"/>
        <source>Flood map {date}</source>
        <translation>Carte d’inondation {date}</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/flood_layers.py"/>
        <source>flooded</source>
        <translation>inondé</translation>
    </message>
    <message>
        <location filename="../plugin/tasks/flood_task.py"/>
        <source>Sentinel Mirror: flood map</source>
        <translation>Sentinel Mirror : carte d’inondation</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>Before: from</source>
        <translation>Avant : à partir du</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>Before: to (inclusive)</source>
        <translation>Avant : jusqu’au (inclus)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>After: from</source>
        <translation>Après : à partir du</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>After: to (inclusive)</source>
        <translation>Après : jusqu’au (inclus)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>Download report before</source>
        <translation>Rapport de téléchargement avant</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>Download report after</source>
        <translation>Rapport de téléchargement après</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>Products folder before</source>
        <translation>Dossier des produits avant</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>Products folder after</source>
        <translation>Dossier des produits après</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>Footprints before</source>
        <translation>Empreintes avant</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>Footprints after</source>
        <translation>Empreintes après</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>The area to map; products are searched over it.</source>
        <translation>La zone à cartographier ; les produits sont cherchés sur cette zone.</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/flood.py"/>
        <source>No before product given: choose the Sentinel-1 GRD zip(s) acquired before the flood.</source>
        <translation>Aucun produit « avant » indiqué : choisissez le ou les zips Sentinel-1 GRD acquis avant l’inondation.</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/flood.py"/>
        <source>No after product given: choose the Sentinel-1 GRD zip(s) acquired after the flood.</source>
        <translation>Aucun produit « après » indiqué : choisissez le ou les zips Sentinel-1 GRD acquis après l’inondation.</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/geocode.py"/>
        <source>None of the before products covers the area: choose products over the area.</source>
        <translation>Aucun des produits « avant » ne couvre la zone : choisissez des produits sur la zone.</translation>
    </message>
    <message>
        <location filename="../plugin/core/s1/geocode.py"/>
        <source>None of the after products covers the area: choose products over the area.</source>
        <translation>Aucun des produits « après » ne couvre la zone : choisissez des produits sur la zone.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>Adding layers %p %</source>
        <translation>Ajout des couches %p %</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>{n} layers could not be added: {first}</source>
        <translation>{n} couches n’ont pas pu être ajoutées : {first}</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>The newest date is on the map; the others wait in the Layers panel, unticked.</source>
        <translation>La date la plus récente est sur la carte ; les autres attendent, décochées, dans le panneau Couches.</translation>
    </message>
    <message>
        <location filename="../plugin/tasks/product_layers_task.py"/>
        <source>Sentinel Mirror: open 1 layer</source>
        <translation>Sentinel Mirror : ouverture d’une couche</translation>
    </message>
    <message>
        <location filename="../plugin/tasks/product_layers_task.py"/>
        <source>Sentinel Mirror: open {n} layers</source>
        <translation>Sentinel Mirror : ouverture de {n} couches</translation>
    </message>
    <message>
        <location filename="../plugin/core/download.py"/>
        <source>{title} is not online: the service answered HTTP 410 (on tape){resp}</source>
        <translation>{title} n’est pas en ligne : le service a répondu HTTP 410 (sur bande){resp}</translation>
    </message>
    <message>
        <location filename="../plugin/core/indices.py"/>
        <source>Normalized Difference Vegetation Index</source>
        <translation>Indice de végétation par différence normalisée</translation>
    </message>
    <message>
        <location filename="../plugin/core/indices.py"/>
        <source>Normalized Difference Water Index (McFeeters)</source>
        <translation>Indice d’eau par différence normalisée (McFeeters)</translation>
    </message>
    <message>
        <location filename="../plugin/core/indices.py"/>
        <source>Modified Normalized Difference Water Index</source>
        <translation>Indice d’eau par différence normalisée modifié</translation>
    </message>
    <message>
        <location filename="../plugin/core/indices.py"/>
        <source>Normalized Difference Moisture Index</source>
        <translation>Indice d’humidité par différence normalisée</translation>
    </message>
    <message>
        <location filename="../plugin/core/indices.py"/>
        <source>Normalized Burn Ratio</source>
        <translation>Rapport normalisé de brûlis</translation>
    </message>
    <message>
        <location filename="../plugin/core/indices.py"/>
        <source>Normalized Difference Red Edge index</source>
        <translation>Indice red edge par différence normalisée</translation>
    </message>
    <message>
        <location filename="../plugin/core/indices.py"/>
        <source>Enhanced Vegetation Index</source>
        <translation>Indice de végétation amélioré</translation>
    </message>
    <message>
        <location filename="../plugin/core/indices.py"/>
        <source>Soil Adjusted Vegetation Index</source>
        <translation>Indice de végétation ajusté au sol</translation>
    </message>
    <message>
        <location filename="../plugin/core/models.py"/>
        <source>Sentinel-1 product type must be GRD, SLC or any, got {product_type!r}.</source>
        <translation>Le type de produit Sentinel-1 doit être GRD, SLC ou any, reçu {product_type!r}.</translation>
    </message>
    <message>
        <location filename="../plugin/core/models.py"/>
        <source>A product record in the download journal is damaged ({e}).</source>
        <translation>Une fiche de produit du journal de téléchargement est endommagée ({e}).</translation>
    </message>
    <message>
        <location filename="../plugin/core/pipeline.py"/>
        <source>Stopped watching: it is still on tape (the next run resumes the watch).</source>
        <translation>Surveillance arrêtée : le produit est toujours sur bande (la prochaine exécution reprend la surveillance).</translation>
    </message>
    <message>
        <location filename="../plugin/core/pipeline.py"/>
        <source> Watched for {duration}: still on tape; run the download again to resume watching.</source>
        <translation> Surveillé pendant {duration} : toujours sur bande ; relancez le téléchargement pour reprendre la surveillance.</translation>
    </message>
    <message>
        <location filename="../plugin/core/pipeline.py"/>
        <source>{state}.{watched}</source>
        <translation>{state}.{watched}</translation>
    </message>
    <message>
        <location filename="../plugin/core/pipeline.py"/>
        <source>{service} gave no checksum for this product: it was checked as a complete zip archive only.</source>
        <translation>{service} n’a pas donné de somme de contrôle pour ce produit : il a seulement été vérifié comme archive zip complète.</translation>
    </message>
    <message>
        <location filename="../plugin/core/pipeline.py"/>
        <source>{title}: the service answered HTTP 410 (Gone) although it reports the product online: it may have been withdrawn or replaced; search again.</source>
        <translation>{title} : le service a répondu HTTP 410 (Gone) alors qu’il indique le produit en ligne : il a peut-être été retiré ou remplacé ; relancez la recherche.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/base.py"/>
        <source>order in the {service} {place}</source>
        <translation>à commander dans {place} {service}</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/base.py"/>
        <source>it</source>
        <translation>le</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/base.py"/>
        <source>them</source>
        <translation>les</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/base.py"/>
        <source>its</source>
        <translation>son</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/base.py"/>
        <source>their</source>
        <translation>leur</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/base.py"/>
        <source>1 product is {where} at {service}. {service} lets you bring it back only from its {place}: open it, find this product, {action}. Sentinel Mirror will download it as soon as it is online.</source>
        <translation>1 produit est {where} chez {service}. {service} ne permet de le remettre en ligne que depuis {place} : ouvrez-le, trouvez ce produit, {action}. Sentinel Mirror le téléchargera dès qu’il sera en ligne.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/base.py"/>
        <source>{count} products are {where} at {service}. {service} lets you bring them back only from its {place}: open it, find these products, {action}. Sentinel Mirror will download each one as soon as it is online.</source>
        <translation>{count} produits sont {where} chez {service}. {service} ne permet de les remettre en ligne que depuis {place} : ouvrez-le, trouvez ces produits, {action}. Sentinel Mirror téléchargera chacun dès qu’il sera en ligne.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/base.py"/>
        <source>explorer</source>
        <translation>l’explorateur</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/base.py"/>
        <source>Data Workspace</source>
        <translation>l’espace de travail Data Workspace</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/base.py"/>
        <source>request {their} transfer</source>
        <translation>faites une demande de transfert pour {their} retour sur disque</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/base.py"/>
        <source>order {them}</source>
        <translation>commandez-{them}</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/cdse.py"/>
        <source>the one-time code (or the password)</source>
        <translation>le code à usage unique (ou le mot de passe)</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/cdse.py"/>
        <source>the username or password</source>
        <translation>l’identifiant ou le mot de passe</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/cdse.py"/>
        <source>{service} refused {what} (HTTP {status_code}). {auth_hint}{hint} The service said: {response}</source>
        <translation>{service} a refusé {what} (HTTP {status_code}). {auth_hint}{hint} Réponse du service : {response}</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>The service redirected {what} in a loop, which usually means the API key (or login) is outdated or wrong: create a new key in your account settings on the service's site and set it in Settings → Options → Sentinel Mirror.</source>
        <translation>Le service a redirigé {what} en boucle, ce qui signifie en général que la clé d’API (ou l’identifiant) est périmée ou erronée : créez une nouvelle clé dans les paramètres de votre compte sur le site du service et indiquez-la dans Préférences → Options → Sentinel Mirror.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>The service redirected {what} in a loop: check the service address in Settings → Options → Sentinel Mirror.</source>
        <translation>Le service a redirigé {what} en boucle : vérifiez l’adresse du service dans Préférences → Options → Sentinel Mirror.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>JSON nested too deeply</source>
        <translation>JSON trop profondément imbriqué</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/http.py"/>
        <source>not JSON, {kind}</source>
        <translation>pas du JSON, {kind}</translation>
    </message>
    <message>
        <location filename="../plugin/core/timeseries/sources.py"/>
        <source>No Sentinel-2 product or {index} raster found between the dates given: choose the folder the products were downloaded to.</source>
        <translation>Aucun produit Sentinel-2 ni raster {index} trouvé entre les dates indiquées : choisissez le dossier où les produits ont été téléchargés.</translation>
    </message>
    <message>
        <location filename="../plugin/core/timeseries/sources.py"/>
        <source>No Sentinel-2 product or {index} raster found: choose the folder the products were downloaded to.</source>
        <translation>Aucun produit Sentinel-2 ni raster {index} trouvé : choisissez le dossier où les produits ont été téléchargés.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>, {n} on tape</source>
        <translation>, {n} sur bande</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>CDSE one-time code</source>
        <translation>Code à usage unique CDSE</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>This CDSE account may use two-factor login. Type the current code from your authenticator app to download again:</source>
        <translation>Ce compte CDSE utilise peut-être la double authentification. Saisissez le code actuel de votre application d’authentification pour relancer le téléchargement :</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>The index charted, computed by the index engine on the same masks.</source>
        <translation>L’indice tracé, calculé par le moteur d’indices avec les mêmes masques.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/profile_tool.py"/>
        <source>{index}, {place}</source>
        <translation>{index}, {place}</translation>
    </message>
    <message>
        <location filename="../plugin/gui/tape_notice.py"/>
        <source>{instructions} The names are also in {listed} in {folder}.</source>
        <translation>{instructions} Les noms sont aussi dans {listed} dans {folder}.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/watches.py"/>
        <source>Sentinel Mirror: watching {products} {where} at {service} ({state})</source>
        <translation>Sentinel Mirror : surveillance de {products} {where} chez {service} ({state})</translation>
    </message>
    <message>
        <location filename="../plugin/main.py"/>
        <source>1 product</source>
        <translation>1 produit</translation>
    </message>
    <message>
        <location filename="../plugin/main.py"/>
        <source>{n} products</source>
        <translation>{n} produits</translation>
    </message>
    <message>
        <location filename="../plugin/main.py"/>
        <source>Watching the products on tape in {folder} stopped: {message}</source>
        <translation>La surveillance des produits sur bande dans {folder} s’est arrêtée : {message}</translation>
    </message>
    <message>
        <location filename="../plugin/main.py"/>
        <source>1 folder</source>
        <translation>1 dossier</translation>
    </message>
    <message>
        <location filename="../plugin/main.py"/>
        <source>{n} folders</source>
        <translation>{n} dossiers</translation>
    </message>
    <message>
        <location filename="../plugin/main.py"/>
        <source>1 product came back from tape and was downloaded to {folder}</source>
        <translation>1 produit est revenu de la bande et a été téléchargé dans {folder}</translation>
    </message>
    <message>
        <location filename="../plugin/main.py"/>
        <source>{n} products came back from tape and were downloaded to {folder}</source>
        <translation>{n} produits sont revenus de la bande et ont été téléchargés dans {folder}</translation>
    </message>
    <message>
        <location filename="../plugin/main.py"/>
        <source>; {left} still on tape (run the download again to keep watching).</source>
        <translation> ; {left} encore sur bande (relancez le téléchargement pour continuer la surveillance).</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_composite.py"/>
        <source>Maximum and median composites of an index (NDVI by default) per calendar month or per period of N days (periods start on 1 January; the last one of a year is shorter). One GeoTIFF per period and tile, 4 bands: 1 maximum, 2 median, 3 number of valid dates, 4 date of the maximum (day of the year). Masked dates never count; a pixel valid on no date of the period is nodata (-9999).

{inputs}</source>
        <translation>Synthèses maximale et médiane d’un indice (NDVI par défaut) par mois calendaire ou par période de N jours (les périodes commencent le 1er janvier ; la dernière de l’année est plus courte). Un GeoTIFF par période et par tuile, 4 bandes : 1 maximum, 2 médiane, 3 nombre de dates valides, 4 date du maximum (jour de l’année). Les dates masquées ne comptent jamais ; un pixel valide à aucune date de la période vaut nodata (-9999).

{inputs}</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_composite.py"/>
        <source>An index (NDVI by default) on a regular grid of dates (every N days from the first date, or from &apos;From date&apos;): masked dates are filled by linear interpolation between the pixel&apos;s valid dates before and after (before the first / after the last valid date: the nearest valid value). One multi-band GeoTIFF per tile, one band per date, band descriptions = the dates (YYYY-MM-DD), the input iota2-style classifiers expect. A pixel never valid is nodata (-9999).

{inputs}</source>
        <translation>Un indice (NDVI par défaut) sur une grille régulière de dates (tous les N jours depuis la première date, ou depuis « À partir du ») : les dates masquées sont comblées par interpolation linéaire entre les dates valides du pixel avant et après (avant la première / après la dernière date valide : la valeur valide la plus proche). Un GeoTIFF multibande par tuile, une bande par date, descriptions des bandes = les dates (AAAA-MM-JJ), l’entrée qu’attendent les classifieurs de type iota2. Un pixel jamais valide vaut nodata (-9999).

{inputs}</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_composite.py"/>
        <source>Gap-filled {index}</source>
        <translation>{index} interpolé</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_download.py"/>
        <source>Downloads the products of a footprints layer (from &apos;Search Sentinel products&apos;; tick &apos;Selected features only&apos; to take a subset) into a folder. Online products download at once, in parallel; each download resumes after a dropped connection and lands only once its size and MD5 are verified. Running it again skips what is already there.

Products on tape cannot be brought back by this algorithm: neither GEODES nor CDSE offers a way to order them except by hand in their web portal (the GEODES explorer, the CDSE Data Workspace). They are listed in the log, in the report (state &apos;order in the GEODES explorer&apos;) and in a text file in the folder. &apos;Wait for products on tape&apos; keeps watching them that many hours after you have ordered them (0: end once the online products are in); run the algorithm again later to fetch them.

Outputs: the folder, and a report (one row per product: done, on tape or failed, and why).

The authentication configuration holds the GEODES API key (Basic, key as password) or the CDSE username/password; empty = the one chosen in Settings &gt; Options &gt; Sentinel Mirror, else the SENTINEL_MIRROR_* environment variables. A CDSE account with two-factor login also needs the current one-time code (or SENTINEL_MIRROR_CDSE_TOTP).</source>
        <translation>Télécharge dans un dossier les produits d’une couche d’empreintes (issue de « Rechercher des produits Sentinel » ; cochez « Entités sélectionnées uniquement » pour n’en prendre qu’une partie). Les produits en ligne se téléchargent tout de suite, en parallèle ; chaque téléchargement reprend après une coupure et n’est déposé qu’une fois sa taille et son MD5 vérifiés. Une nouvelle exécution ignore ce qui est déjà là.

Les produits sur bande ne peuvent pas être remis en ligne par cet algorithme : ni GEODES ni le CDSE ne permettent de les commander autrement qu’à la main dans leur portail web (l’explorateur GEODES, l’espace de travail Data Workspace du CDSE). Ils sont listés dans le journal, dans le rapport (état « à commander dans l’explorateur GEODES ») et dans un fichier texte du dossier. « Attendre les produits sur bande » continue de les surveiller pendant ce nombre d’heures après que vous les avez commandés (0 : terminer dès que les produits en ligne sont arrivés) ; relancez l’algorithme plus tard pour les récupérer.

Sorties : le dossier et un rapport (une ligne par produit : terminé, sur bande ou en échec, et pourquoi).

La configuration d’authentification contient la clé d’API GEODES (Basic, clé en guise de mot de passe) ou l’identifiant et le mot de passe CDSE ; vide = celle choisie dans Préférences &gt; Options &gt; Sentinel Mirror, sinon les variables d’environnement SENTINEL_MIRROR_*. Un compte CDSE à double authentification a aussi besoin du code à usage unique du moment (ou de SENTINEL_MIRROR_CDSE_TOTP).</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_download.py"/>
        <source>Wait for products on tape (hours; 0 = do not wait)</source>
        <translation>Attendre les produits sur bande (heures ; 0 = ne pas attendre)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_download.py"/>
        <source>CDSE one-time code (two-factor accounts only)</source>
        <translation>Code à usage unique CDSE (comptes à double authentification seulement)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_download.py"/>
        <source>Products on tape (to order in the portal)</source>
        <translation>Produits sur bande (à commander dans le portail)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_download.py"/>
        <source>{instructions} Open {url}. The names are also in {listed}:</source>
        <translation>{instructions} Ouvrez {url}. Les noms sont aussi dans {listed} :</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_ndvi.py"/>
        <source>Computes a spectral index for each downloaded Sentinel-2 product, straight from its zip (no extraction): one GeoTIFF per product, named &lt;product&gt;_&lt;INDEX&gt;.tif (&lt;product&gt;_NDVI.tif for NDVI), on the product&apos;s 10 m grid, nodata where a band is missing or a mask flags the pixel. On reflectance in 0..1; 20 m bands (B5, B8A, B11, B12) are replicated 2 x 2 onto the 10 m grid (exact nearest neighbour, stated in the raster&apos;s metadata), or, with the 20 m output grid, the 10 m bands are averaged 2 x 2 (&lt;product&gt;_&lt;INDEX&gt;_20m.tif):
{formulas}

Output: float32 (exact), or Int16 (index x 10000, nodata -32768; the scale is in the file so QGIS shows true values; a third of the size, rounding error at most 0.00005). With masks, &lt;product&gt;_&lt;INDEX&gt;_masked.tif beside it (1 where a mask flagged the pixel) keeps masked pixels apart from other no data for the time-series tools.

Give product zips, or a folder (every .zip in it), or both. Cloud masking (MAJA CLM/EDG, Sen2Cor SCL, L1C cloud mask) is on by default. L2A (surface reflectance) is what indices should use; from L1C the result is top of atmosphere and the log says so.

A product that cannot be read is reported and skipped; the others are computed. (sentinelmirror:ndvi is this algorithm under its former id.)</source>
        <translation>Calcule un indice spectral pour chaque produit Sentinel-2 téléchargé, directement depuis son zip (sans extraction) : un GeoTIFF par produit, nommé &lt;produit&gt;_&lt;INDICE&gt;.tif (&lt;produit&gt;_NDVI.tif pour le NDVI), sur la grille à 10 m du produit, avec nodata là où une bande manque ou qu’un masque signale le pixel. Sur la réflectance entre 0 et 1 ; les bandes à 20 m (B5, B8A, B11, B12) sont dupliquées 2 × 2 sur la grille à 10 m (plus proche voisin exact, indiqué dans les métadonnées du raster), ou, avec la grille de sortie à 20 m, les bandes à 10 m sont moyennées 2 × 2 (&lt;produit&gt;_&lt;INDICE&gt;_20m.tif) :
{formulas}

Sortie : float32 (exact), ou Int16 (indice × 10000, nodata -32768 ; l’échelle est dans le fichier, QGIS affiche donc les vraies valeurs ; un tiers de la taille, erreur d’arrondi d’au plus 0,00005). Avec des masques, &lt;produit&gt;_&lt;INDICE&gt;_masked.tif à côté (1 là où un masque a signalé le pixel) distingue les pixels masqués des autres absences de données pour les outils de séries temporelles.

Indiquez des zips de produits, un dossier (tous les .zip qu’il contient), ou les deux. Le masque de nuages (MAJA CLM/EDG, Sen2Cor SCL, masque de nuages L1C) est activé par défaut. Les indices doivent être calculés sur du L2A (réflectance de surface) ; à partir de L1C, le résultat est au sommet de l’atmosphère et le journal le signale.

Un produit illisible est signalé et ignoré ; les autres sont calculés. (sentinelmirror:ndvi est cet algorithme sous son ancien identifiant.)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_statistics.py"/>
        <source>Statistics of an index (NDVI by default, or NDWI, MNDWI, NDMI, NBR, NDRE, EVI, SAVI) for every parcel (polygon, any CRS) on every acquisition date: mean, median, standard deviation, 10th and 90th percentiles of the valid pixels, the number and share of valid pixels and the share of pixels masked (clouds, shadows, edges). A parcel without any valid pixel on a date gets empty statistics for that date, never a value from masked pixels.

{inputs}

Pixels belong to a parcel when their centre is inside it (or, with &apos;every pixel touched&apos;, when the polygon touches them). A parcel over two tiles counts the pixels of both tiles acquired that day (each place once). Optionally a wide CSV: one row per parcel, one column per date (mean index).</source>
        <translation>Statistiques d’un indice (NDVI par défaut, ou NDWI, MNDWI, NDMI, NBR, NDRE, EVI, SAVI) pour chaque parcelle (polygone, n’importe quel SCR) à chaque date d’acquisition : moyenne, médiane, écart type, 10e et 90e centiles des pixels valides, nombre et part des pixels valides et part des pixels masqués (nuages, ombres, bords). Une parcelle sans aucun pixel valide à une date reçoit des statistiques vides pour cette date, jamais une valeur tirée de pixels masqués.

{inputs}

Un pixel appartient à une parcelle quand son centre est à l’intérieur (ou, avec « chaque pixel touché », quand le polygone le touche). Une parcelle à cheval sur deux tuiles compte les pixels des deux tuiles acquises ce jour-là (chaque endroit une fois). En option, un CSV large : une ligne par parcelle, une colonne par date (indice moyen).</translation>
    </message>
    <message>
        <location filename="../plugin/processing/series_inputs.py"/>
        <source>The series is read from a folder of downloaded product zips (the chosen index computed on the fly from the zips by the index engine, read in place, masks applied: clouds, cloud shadows, swath edges, saturation) or of index GeoTIFFs written by &apos;Spectral index of Sentinel-2 products&apos; (float32 or Int16; only those of the chosen index are read; their nodata already holds the masks), or from such files given one by one. Products of several tiles may be mixed; dates are acquisition days (UTC).</source>
        <translation>La série est lue dans un dossier de zips de produits téléchargés (l’indice choisi calculé à la volée dans les zips par le moteur d’indices, lus sur place, masques appliqués : nuages, ombres de nuages, bords de fauchée, saturation) ou de GeoTIFF d’indice écrits par « Indice spectral de produits Sentinel-2 » (float32 ou Int16 ; seuls ceux de l’indice choisi sont lus ; leur nodata contient déjà les masques), ou dans de tels fichiers donnés un par un. Des produits de plusieurs tuiles peuvent être mélangés ; les dates sont les jours d’acquisition (UTC).</translation>
    </message>
    <message>
        <location filename="../plugin/processing/series_inputs.py"/>
        <source>{index}: {n} acquisitions from {start} to {end}.</source>
        <translation>{index} : {n} acquisitions du {start} au {end}.</translation>
    </message>
    <message>
        <location filename="../plugin/qgis/layers.py"/>
        <source>on tape (order it in the portal)</source>
        <translation>sur bande (à commander dans le portail)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>Searches a Sentinel-2 tile over a date range, downloads every online product found (in parallel, each verified; products on tape are listed, to order in the catalogue&apos;s portal) and computes one cloud-masked NDVI GeoTIFF per product. The NDVI layers load dated, so the Temporal Controller plays the series.</source>
        <translation>Cherche une tuile Sentinel-2 sur une période, télécharge tous les produits en ligne trouvés (en parallèle, chacun vérifié ; les produits sur bande sont listés, à commander dans le portail du catalogue) et calcule un GeoTIFF NDVI avec masque de nuages par produit. Les couches NDVI sont chargées datées : le contrôleur temporel joue la série.</translation>
    </message>
    <message>
        <location filename="../plugin/core/segments.py"/>
        <source>The download of {title} stopped before its end; it will resume next time.</source>
        <translation>Le téléchargement de {title} s’est arrêté avant la fin ; il reprendra la prochaine fois.</translation>
    </message>
    <message>
        <location filename="../plugin/core/segments.py"/>
        <source>it announced {length} bytes for a range of {value}</source>
        <translation>il a annoncé {length} octets pour une plage de {value}</translation>
    </message>
    <message>
        <location filename="../plugin/core/segments.py"/>
        <source>more than the {value} bytes asked for</source>
        <translation>plus que les {value} octets demandés</translation>
    </message>
    <message>
        <location filename="../plugin/core/segments.py"/>
        <source>The server sent more data than {title} has ({why}): the download was stopped and will be tried again.</source>
        <translation>Le serveur a envoyé plus de données que n’en contient {title} ({why}) : le téléchargement a été arrêté et sera relancé.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/search_form.py"/>
        <source>Ground range detected: the usual choice for maps and flood detection.</source>
        <translation>Ground range detected (GRD) : le choix habituel pour les cartes et la détection des inondations.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/search_form.py"/>
        <source>Single look complex (interferometry): several times larger; see the Size column.</source>
        <translation>Single look complex (SLC, interférométrie) : plusieurs fois plus volumineux ; voir la colonne Taille.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/search_form.py"/>
        <source>Both product types.</source>
        <translation>Les deux types de produits.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/search_form.py"/>
        <source>Sentinel-1 product type: GRD by default; SLC products are several times larger.</source>
        <translation>Type de produit Sentinel-1 : GRD par défaut ; les produits SLC sont plusieurs fois plus volumineux.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/tape_notice.py"/>
        <source>Open the {place}</source>
        <translation>Ouvrir {place}</translation>
    </message>
    <message>
        <location filename="../plugin/gui/tape_notice.py"/>
        <source>Opens the {service} {place} in your browser and copies the product names (paste them into its search).</source>
        <translation>Ouvre {place} {service} dans votre navigateur et copie les noms des produits (collez-les dans sa recherche).</translation>
    </message>
    <message>
        <location filename="../plugin/gui/watch_list.py"/>
        <source>Folder</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <location filename="../plugin/gui/watch_list.py"/>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../plugin/gui/watch_list.py"/>
        <source>On tape</source>
        <translation>Sur bande</translation>
    </message>
    <message>
        <location filename="../plugin/gui/watch_list.py"/>
        <source>Next check</source>
        <translation>Prochaine vérification</translation>
    </message>
    <message>
        <location filename="../plugin/gui/watch_list.py"/>
        <source>now</source>
        <translation>maintenant</translation>
    </message>
    <message>
        <location filename="../plugin/gui/watch_list.py"/>
        <source>in {left:.0f} s</source>
        <translation>dans {left:.0f} s</translation>
    </message>
    <message>
        <location filename="../plugin/gui/watch_list.py"/>
        <source>in {value:.0f} min</source>
        <translation>dans {value:.0f} min</translation>
    </message>
    <message>
        <location filename="../plugin/gui/watch_list.py"/>
        <source>The products on tape Sentinel Mirror is watching, per folder: see them and stop them.</source>
        <translation>Les produits sur bande que Sentinel Mirror surveille, par dossier : les voir et arrêter leur surveillance.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/watch_list.py"/>
        <source>Watches ({n})</source>
        <translation>Surveillances ({n})</translation>
    </message>
    <message>
        <location filename="../plugin/gui/watch_list.py"/>
        <source>Watches</source>
        <translation>Surveillances</translation>
    </message>
    <message>
        <location filename="../plugin/gui/watch_list.py"/>
        <source>Sentinel Mirror: watches of products on tape</source>
        <translation>Sentinel Mirror : surveillance des produits sur bande</translation>
    </message>
    <message>
        <location filename="../plugin/gui/watch_list.py"/>
        <source>No product on tape is being watched.</source>
        <translation>Aucun produit sur bande n’est surveillé.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/watch_list.py"/>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <location filename="../plugin/gui/watch_list.py"/>
        <source>Stop watching this folder now; Sentinel Mirror watches it again at the next start of QGIS.</source>
        <translation>Arrêter maintenant la surveillance de ce dossier ; Sentinel Mirror la reprendra au prochain démarrage de QGIS.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/watch_list.py"/>
        <source>Stop and forget</source>
        <translation>Arrêter et oublier</translation>
    </message>
    <message>
        <location filename="../plugin/gui/watch_list.py"/>
        <source>Stop watching this folder for good. The products stay listed in the folder: a download run of them watches them again.</source>
        <translation>Arrêter définitivement la surveillance de ce dossier. Les produits restent listés dans le dossier : un nouveau téléchargement de ces produits les surveillera de nouveau.</translation>
    </message>
    <message>
        <location filename="../plugin/main.py"/>
        <source>A product the watch brought to {folder} is downloaded, but: {message}</source>
        <translation>Un produit ramené par la surveillance dans {folder} est téléchargé, mais : {message}</translation>
    </message>
    <message>
        <location filename="../plugin/main.py"/>
        <source>Watching {products} on tape again (in {folders}): each one is downloaded as soon as it is online. See or stop the watch with the dock&apos;s Watches button.</source>
        <translation>Nouvelle surveillance de {products} sur bande (dans {folders}) : chacun sera téléchargé dès qu’il sera en ligne. Consultez ou arrêtez la surveillance avec le bouton Surveillances du panneau.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_search.py"/>
        <source>GRD (ground range, the usual choice)</source>
        <translation>GRD (ground range, le choix habituel)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_search.py"/>
        <source>SLC (single look complex, ~4x larger)</source>
        <translation>SLC (single look complex, ~4 fois plus volumineux)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_search.py"/>
        <source>Both GRD and SLC</source>
        <translation>GRD et SLC</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_search.py"/>
        <source>Sentinel-1 product type (GEODES radar)</source>
        <translation>Type de produit Sentinel-1 (radar GEODES)</translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_model.py"/>
        <source>Where the product was at the search. online: on disk at the service, downloads at once. on tape: to order in the service&apos;s portal (GEODES explorer, CDSE Data Workspace); the download lists it, watches it and fetches it as soon as it is back.</source>
        <translation>Où était le produit lors de la recherche. en ligne : sur disque chez le service, se télécharge aussitôt. sur bande : à commander dans le portail du service (explorateur GEODES, Data Workspace du CDSE) ; le téléchargement le liste, le surveille et le récupère dès qu’il est revenu.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_model.py"/>
        <source>Where the product is in the download: on tape (order it in the portal) → downloading % → verifying → done.</source>
        <translation>Où en est le produit dans le téléchargement : sur bande (à commander dans le portail) → téléchargement % → vérification → terminé.</translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_model.py"/>
        <source>on tape: order it in the service&apos;s portal; the download fetches it once it is back</source>
        <translation>sur bande : commandez-le dans le portail du service ; le téléchargement le récupère dès qu’il est revenu</translation>
    </message>
    <message>
        <location filename="../plugin/main.py"/>
        <source>Show or hide the Sentinel Mirror panel (search, download, indices)</source>
        <translation>Afficher ou masquer le panneau Sentinel Mirror (recherche, téléchargement, indices)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_search.py"/>
        <source>Searches CNES GEODES or Copernicus Data Space for the products of one Sentinel-2 tile (e.g. 31TCJ, a leading T is fine) or of an extent in any CRS, between two dates (inclusive), under a cloud limit.

Output: a footprints layer (EPSG:4326), one feature per product with id, title, date, tile, orbit, cloud (%), size (bytes), md5, online (false = on tape: to order in the service&apos;s portal) and download_url. Feed it to &apos;Download Sentinel products&apos;.

Give either a tile or an extent. Searching needs no account; the authentication configuration is only used if the catalogue asks for one (empty = the one chosen in Settings &gt; Options &gt; Sentinel Mirror).

Sentinel-1 product type (GEODES radar only): GRD by default; SLC products are several times larger (see the size field); CDSE&apos;s radar collection is GRD only.</source>
        <translation>Cherche dans CNES GEODES ou Copernicus Data Space les produits d’une tuile Sentinel-2 (par ex. 31TCJ, un T initial est accepté) ou d’une emprise dans n’importe quel SCR, entre deux dates (incluses), sous une limite de nuages.

Sortie : une couche d’empreintes (EPSG:4326), une entité par produit avec id, title, date, tile, orbit, cloud (%), size (octets), md5, online (false = sur bande : à commander dans le portail du service) et download_url. À passer à « Télécharger des produits Sentinel ».

Indiquez soit une tuile, soit une emprise. La recherche ne demande pas de compte ; la configuration d’authentification ne sert que si le catalogue en demande une (vide = celle choisie dans Préférences &gt; Options &gt; Sentinel Mirror).

Type de produit Sentinel-1 (radar GEODES seulement) : GRD par défaut ; les produits SLC sont plusieurs fois plus volumineux (voir le champ size) ; la collection radar du CDSE ne contient que du GRD.</translation>
    </message>
    <message>
        <location filename="../plugin/processing/models.py"/>
        <source>Searches Sentinel-1 GRD products over the area in a date range before the flood and one after it, downloads them (each verified; products on tape are listed, to order in the catalogue&apos;s portal) and maps the flood by change detection between the first pass after and the last pass before it on the same relative orbit. Keep the date ranges short (one or two passes each): every product found is downloaded (about 1.7 GB each).</source>
        <translation>Cherche des produits Sentinel-1 GRD sur la zone dans une période avant l’inondation et une après, les télécharge (chacun vérifié ; les produits sur bande sont listés, à commander dans le portail du catalogue) et cartographie l’inondation par détection de changements entre le premier passage après et le dernier passage avant sur la même orbite relative. Gardez des périodes courtes (un ou deux passages chacune) : chaque produit trouvé est téléchargé (environ 1,7 Go chacun).</translation>
    </message>
    <message>
        <location filename="../plugin/core/pipeline.py"/>
        <source>Watch stopped: {service} refused the credentials. Check them in Settings → Options → Sentinel Mirror, then run the download again to resume watching.</source>
        <translation>Surveillance arrêtée : {service} a refusé les identifiants. Vérifiez-les dans Préférences → Options → Sentinel Mirror, puis relancez le téléchargement pour reprendre la surveillance.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/cdse.py"/>
        <source>The CDSE login needs a new one-time code: this account uses two-factor login and its session (at most 60 min after the last login) has expired. Download again and give the current code.</source>
        <translation>La connexion au CDSE demande un nouveau code à usage unique : ce compte utilise la double authentification et sa session (60 min au plus après la dernière connexion) a expiré. Relancez le téléchargement et donnez le code du moment.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/cdse.py"/>
        <source>Watch stopped: the CDSE login needs a new one-time code (two-factor account; the session lasts 60 min). Download again and give the current code to resume watching.</source>
        <translation>Surveillance arrêtée : la connexion au CDSE demande un nouveau code à usage unique (compte à double authentification ; la session dure 60 min). Relancez le téléchargement et donnez le code du moment pour reprendre la surveillance.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/cdse.py"/>
        <source>Watch stopped: CDSE refused the login. Check the username and password in Settings → Options → Sentinel Mirror, then run the download again (a two-factor account: give the current code) to resume watching.</source>
        <translation>Surveillance arrêtée : le CDSE a refusé la connexion. Vérifiez l’identifiant et le mot de passe dans Préférences → Options → Sentinel Mirror, puis relancez le téléchargement (compte à double authentification : donnez le code du moment) pour reprendre la surveillance.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/geodes.py"/>
        <source>Watch stopped: GEODES refused the API key. Check it in Settings → Options → Sentinel Mirror, then run the download again to resume watching.</source>
        <translation>Surveillance arrêtée : GEODES a refusé la clé d’API. Vérifiez-la dans Préférences → Options → Sentinel Mirror, puis relancez le téléchargement pour reprendre la surveillance.</translation>
    </message>
    <message>
        <location filename="../plugin/main.py"/>
        <source>Products on tape in {folder}: {message}</source>
        <translation>Produits sur bande dans {folder} : {message}</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>Float32 (exact)</source>
        <translation>Float32 (exact)</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>Int16 (compact)</source>
        <translation>Int16 (compact)</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>10 m grid</source>
        <translation>Grille à 10 m</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>20 m grid</source>
        <translation>Grille à 20 m</translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py"/>
        <source>Cancelled. The downloads are kept; {index} was not finished.</source>
        <translation>Annulé. Les téléchargements sont conservés ; le calcul de {index} n’a pas été terminé.</translation>
    </message>
    <message>
        <location filename="../plugin/core/providers/cdse.py"/>
        <source> If the account uses two-factor login, give its current one-time code (the Processing parameter, the SENTINEL_MIRROR_CDSE_TOTP environment variable, or the dock&apos;s prompt).</source>
        <translation> Si le compte utilise la double authentification, donnez son code à usage unique du moment (le paramètre de traitement, la variable d’environnement SENTINEL_MIRROR_CDSE_TOTP, ou la demande du panneau).</translation>
    </message>
    <message>
        <location filename="../plugin/core/pipeline.py"/>
        <source>{service} refused every download for {duration} (HTTP 429: too many requests or an empty quota): try again later; what was downloaded is kept.</source>
        <translation>{service} a refusé tous les téléchargements pendant {duration} (HTTP 429 : trop de requêtes ou quota épuisé) : réessayez plus tard ; ce qui a été téléchargé est conservé.</translation>
    </message>
</context>
<context>
    <name>ProfilePanel</name>
    <message>
        <location filename="../ui/profile.ui"/>
        <source>Click a point on the map: its NDVI on every date of the products folder.</source>
        <translation>Cliquez un point sur la carte : son NDVI à chaque date du dossier des produits.</translation>
    </message>
    <message>
        <location filename="../ui/profile.ui"/>
        <source>Point</source>
        <translation>Point</translation>
    </message>
    <message>
        <location filename="../ui/profile.ui"/>
        <source>Click a field (a polygon of any visible vector layer): its mean NDVI, p10-p90 and valid share on every date.</source>
        <translation>Cliquez une parcelle (un polygone de n’importe quelle couche vecteur visible) : son NDVI moyen, p10-p90 et sa part valide à chaque date.</translation>
    </message>
    <message>
        <location filename="../ui/profile.ui"/>
        <source>Pick field</source>
        <translation>Choisir une parcelle</translation>
    </message>
    <message>
        <location filename="../ui/profile.ui"/>
        <source>Draw a field: left clicks add corners, a right click (or double click) closes it.</source>
        <translation>Dessiner une parcelle : les clics gauches ajoutent des sommets, un clic droit (ou un double clic) la ferme.</translation>
    </message>
    <message>
        <location filename="../ui/profile.ui"/>
        <source>Draw field</source>
        <translation>Dessiner une parcelle</translation>
    </message>
    <message>
        <location filename="../ui/profile.ui"/>
        <source>Also chart the surface reflectance of the blue, green, red and NIR bands.</source>
        <translation>Tracer aussi la réflectance de surface des bandes bleue, verte, rouge et proche infrarouge.</translation>
    </message>
    <message>
        <location filename="../ui/profile.ui"/>
        <source>B/G/R/NIR</source>
        <translation>B/V/R/PIR</translation>
    </message>
    <message>
        <location filename="../ui/profile.ui"/>
        <source>Products</source>
        <translation>Produits</translation>
    </message>
    <message>
        <location filename="../ui/profile.ui"/>
        <source>The folder of downloaded product zips (or of NDVI rasters) the profile is read from.</source>
        <translation>Le dossier des zips de produits téléchargés (ou des rasters NDVI) où le profil est lu.</translation>
    </message>
    <message>
        <location filename="../ui/profile.ui"/>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <location filename="../ui/profile.ui"/>
        <source>Choose Point, Pick field or Draw field, then click the map.</source>
        <translation>Choisissez Point, Choisir une parcelle ou Dessiner une parcelle, puis cliquez sur la carte.</translation>
    </message>
    <message>
        <location filename="../ui/profile.ui"/>
        <source>Export CSV…</source>
        <translation>Exporter en CSV…</translation>
    </message>
    <message>
        <location filename="../ui/profile.ui"/>
        <source>Export PNG…</source>
        <translation>Exporter en PNG…</translation>
    </message>
</context>
<context>
    <name>SentinelMirrorDockContents</name>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Where</source>
        <translation>Où</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Search one Sentinel-2 tile (a 110 km square of the MGRS grid).</source>
        <translation>Chercher une tuile Sentinel-2 (un carré de 110 km de la grille MGRS).</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Tile</source>
        <translation>Tuile</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Sentinel-2 tile id: UTM zone (01-60), latitude band and two letters, e.g. 31TCJ for Toulouse. A leading T is accepted. Suggestions list the tiles around the map centre and the ones you used recently.</source>
        <translation>Identifiant de tuile Sentinel-2 : fuseau UTM (01-60), bande de latitude et deux lettres, par ex. 31TCJ pour Toulouse. Un T initial est accepté. Les suggestions proposent les tuiles autour du centre de la carte et celles utilisées récemment.</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>e.g. 31TCJ</source>
        <translation>par ex. 31TCJ</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Pick a tile on the map: the tiles under the cursor are outlined; click to use one (where tiles overlap, choose from the list).</source>
        <translation>Choisir une tuile sur la carte : les tuiles sous le curseur sont entourées ; cliquez pour en utiliser une (là où des tuiles se chevauchent, choisissez dans la liste).</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Pick</source>
        <translation>Choisir</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Show the Sentinel-2 tile grid over the map view (zoom in if the view is too large).</source>
        <translation>Afficher la grille des tuiles Sentinel-2 sur la carte (zoomez si la vue est trop large).</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Grid</source>
        <translation>Grille</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Search every product intersecting an area: the map view, a layer&apos;s extent or a rectangle drawn on the map. Any CRS; it is converted to longitude/latitude.</source>
        <translation>Chercher tous les produits qui recoupent une zone : la vue de la carte, l’emprise d’une couche ou un rectangle dessiné sur la carte. N’importe quel SCR ; elle est convertie en longitude/latitude.</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Map area instead of a tile</source>
        <translation>Zone de la carte plutôt qu’une tuile</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Draw the area to search on the map: press, drag, release.</source>
        <translation>Dessiner la zone de recherche sur la carte : appuyez, faites glisser, relâchez.</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Draw</source>
        <translation>Dessiner</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>The area to search: current map view, a layer&apos;s extent, or draw a rectangle on the map.</source>
        <translation>La zone de recherche : vue actuelle de la carte, emprise d’une couche, ou rectangle dessiné sur la carte.</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Extent</source>
        <translation>Emprise</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>What</source>
        <translation>Quoi</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Catalogue</source>
        <translation>Catalogue</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Where to search and download: CNES GEODES (the former PEPS and Theia collections) or the Copernicus Data Space Ecosystem. Each needs its own account; set it with the gear button.</source>
        <translation>Où chercher et télécharger : CNES GEODES (les anciennes collections PEPS et Theia) ou le Copernicus Data Space Ecosystem. Chacun demande son propre compte ; réglez-le avec le bouton engrenage.</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Collection</source>
        <translation>Collection</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Dates</source>
        <translation>Dates</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>First acquisition date (inclusive, UTC).</source>
        <translation>Première date d’acquisition (incluse, UTC).</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>yyyy-MM-dd</source>
        <translation>yyyy-MM-dd</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>→</source>
        <translation>→</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Last acquisition date (inclusive, UTC); it cannot be before the first date.</source>
        <translation>Dernière date d’acquisition (incluse, UTC) ; elle ne peut pas précéder la première.</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Max cloud</source>
        <translation>Nuages max.</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Keep only products whose cloud cover (over the whole tile) is at most this.</source>
        <translation>Ne garder que les produits dont la couverture nuageuse (sur toute la tuile) ne dépasse pas cette valeur.</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>After each download, compute a cloud-masked NDVI GeoTIFF next to the product (from surface reflectance for L2A; L1C gives a top-of-atmosphere NDVI).</source>
        <translation>Après chaque téléchargement, calculer un GeoTIFF NDVI avec masque de nuages à côté du produit (à partir de la réflectance de surface en L2A ; le L1C donne un NDVI au sommet de l’atmosphère).</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Add the downloaded products (natural colour) and their NDVI to the map, in a group per tile.</source>
        <translation>Ajouter à la carte les produits téléchargés (couleurs naturelles) et leur NDVI, dans un groupe par tuile.</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Load on the map</source>
        <translation>Charger sur la carte</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Search the catalogue (runs in the background; QGIS stays usable).</source>
        <translation>Interroger le catalogue (en arrière-plan : QGIS reste utilisable).</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Open the Sentinel Mirror documentation.</source>
        <translation>Ouvrir la documentation de Sentinel Mirror.</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Results</source>
        <translation>Résultats</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Show only the rows whose date, tile, platform, title or state contains this text.</source>
        <translation>N’afficher que les lignes dont la date, la tuile, la plateforme, le titre ou l’état contient ce texte.</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Filter…</source>
        <translation>Filtrer…</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Tick every product shown.</source>
        <translation>Cocher tous les produits affichés.</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Untick every product shown.</source>
        <translation>Décocher tous les produits affichés.</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Quicklook of the product under the cursor in the table.</source>
        <translation>Aperçu du produit sélectionné dans le tableau.</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>How many products are ticked and how much they weigh: the download fetches exactly these.</source>
        <translation>Nombre de produits cochés et leur volume : le téléchargement récupère exactement ceux-là.</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Download</source>
        <translation>Télécharger</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Stop the search or download. Finished products stay; partial ones are resumed next time.</source>
        <translation>Arrêter la recherche ou le téléchargement. Les produits terminés restent ; les partiels reprendront la prochaine fois.</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Overall progress of the run (bytes downloaded and products finished).</source>
        <translation>Progression globale (octets téléchargés et produits terminés).</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>%p %</source>
        <translation>%p %</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Time since the run started.</source>
        <translation>Temps écoulé depuis le lancement.</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Compute</source>
        <translation>Calculer</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>The index computed after each download: NDVI (vegetation), NDWI and MNDWI (water), NDMI (moisture), NBR (burn), NDRE (red edge), EVI, SAVI. 20 m bands are brought onto the 10 m grid.</source>
        <translation>L’indice calculé après chaque téléchargement : NDVI (végétation), NDWI et MNDWI (eau), NDMI (humidité), NBR (brûlis), NDRE (red edge), EVI, SAVI. Les bandes à 20 m sont ramenées sur la grille à 10 m.</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Settings: accounts (API key, login), download folder, parallel downloads, how long to watch products on tape.</source>
        <translation>Paramètres : comptes (clé d’API, identifiants), dossier de téléchargement, téléchargements parallèles, durée de surveillance des produits sur bande.</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>Download the ticked products: online ones in parallel at once, each verified before it lands; products on tape are listed with how to order them in the service&apos;s portal, then watched and fetched as soon as they are back. Same engine as the Processing algorithm.</source>
        <translation>Télécharger les produits cochés : ceux en ligne aussitôt et en parallèle, chacun vérifié avant d’être déposé ; les produits sur bande sont listés avec la façon de les commander dans le portail du service, puis surveillés et récupérés dès qu’ils sont revenus. Même moteur que l’algorithme Processing.</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>How the index is stored. Float32 is exact. Int16 keeps the index x 10000 (no data -32768, scale 0.0001 in the file, so QGIS shows true values) in a third of the space, to within 0.00005.</source>
        <translation>Comment l’indice est stocké. Float32 est exact. Int16 garde l’indice × 10000 (nodata -32768, échelle 0,0001 dans le fichier, QGIS affiche donc les vraies valeurs) dans un tiers de la place, à 0,00005 près.</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui"/>
        <source>The grid of the index: 10 m (20 m bands replicated 2 x 2), or 20 m (10 m bands averaged 2 x 2: a quarter of the pixels; the file name ends in _20m).</source>
        <translation>La grille de l’indice : 10 m (bandes à 20 m dupliquées 2 × 2), ou 20 m (bandes à 10 m moyennées 2 × 2 : un quart des pixels ; le nom du fichier finit par _20m).</translation>
    </message>
</context>
<context>
    <name>SentinelMirrorOptions</name>
    <message>
        <location filename="../ui/options.ui"/>
        <source>Catalogues (credentials stored encrypted in the QGIS authentication database)</source>
        <translation>Catalogues (identifiants stockés chiffrés dans la base d’authentification de QGIS)</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>CNES GEODES</source>
        <translation>CNES GEODES</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>A Basic configuration whose password is your GEODES API key (the username is ignored). Create the key in your geodes-portal.cnes.fr user settings. Searching needs no key; downloading does.</source>
        <translation>Une configuration Basic dont le mot de passe est votre clé d’API GEODES (l’identifiant est ignoré). Créez la clé dans les paramètres de votre compte sur geodes-portal.cnes.fr. La recherche n’a pas besoin de clé ; le téléchargement, si.</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>Test connection</source>
        <translation>Tester la connexion</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>With the key and address chosen on this page: a one-item search, a one-byte request with the key, and that item&apos;s availability. Nothing is downloaded.</source>
        <translation>Avec la clé et l’adresse choisies sur cette page : une recherche d’un seul produit, une requête d’un octet avec la clé, et la disponibilité de ce produit. Rien n’est téléchargé.</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>GEODES parallel downloads</source>
        <translation>Téléchargements parallèles GEODES</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>Downloads at once from GEODES. 3 is what CNES&apos;s own client (pyGeodes) uses; the service&apos;s own limit is not published.</source>
        <translation>Téléchargements simultanés depuis GEODES. 3 est la valeur du client du CNES (pyGeodes) ; la limite du service n’est pas publiée.</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>Copernicus Data Space</source>
        <translation>Copernicus Data Space</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>A Basic configuration with your dataspace.copernicus.eu username (e-mail) and password.</source>
        <translation>Une configuration Basic avec votre identifiant (e-mail) et votre mot de passe dataspace.copernicus.eu.</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>With the account and addresses chosen on this page: a one-item search, a login (token request), and that item&apos;s availability. Nothing is downloaded.</source>
        <translation>Avec le compte et les adresses choisis sur cette page : une recherche d’un seul produit, une connexion (demande de jeton), et la disponibilité de ce produit. Rien n’est téléchargé.</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>Keep every processing baseline of an acquisition (default: only the newest)</source>
        <translation>Garder toutes les versions de traitement (baselines) d’une acquisition (par défaut : seulement la plus récente)</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>CDSE lists some acquisitions twice, under two processing baselines (e.g. N0509 and N0510). By default only the newest is kept.</source>
        <translation>Le CDSE liste certaines acquisitions deux fois, sous deux versions de traitement (par ex. N0509 et N0510). Par défaut, seule la plus récente est gardée.</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>GEODES: Basic method, API key as the password. CDSE: Basic method, username and password. Headless runs may use SENTINEL_MIRROR_GEODES_API_KEY, SENTINEL_MIRROR_CDSE_USERNAME and SENTINEL_MIRROR_CDSE_PASSWORD instead.</source>
        <translation>GEODES : méthode Basic, clé d’API en guise de mot de passe. CDSE : méthode Basic, identifiant et mot de passe. Les exécutions sans interface peuvent utiliser à la place SENTINEL_MIRROR_GEODES_API_KEY, SENTINEL_MIRROR_CDSE_USERNAME et SENTINEL_MIRROR_CDSE_PASSWORD.</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>Downloads</source>
        <translation>Téléchargements</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>Download folder</source>
        <translation>Dossier de téléchargement</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>Where products (verified .zip archives) and their NDVI land. Each product is written as .part and renamed only once its size and MD5 are checked.</source>
        <translation>Où sont déposés les produits (archives .zip vérifiées) et leur NDVI. Chaque produit est écrit en .part et renommé seulement une fois sa taille et son MD5 contrôlés.</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>Parallel downloads</source>
        <translation>Téléchargements parallèles</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>Upper bound on simultaneous downloads; each catalogue also has its own cap (GEODES: set above; CDSE allows 4).</source>
        <translation>Nombre maximal de téléchargements simultanés ; chaque catalogue a aussi sa propre limite (GEODES : réglée ci-dessus ; CDSE en autorise 4).</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>Check ordered tape products every</source>
        <translation>Vérifier les produits sur bande commandés toutes les</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>Products on tape come back only once you order them (GEODES explorer, CDSE Data Workspace). Sentinel Mirror then watches them: one availability request for all of them this often at first, less often (up to the value below) while the wait lasts, and downloads each one the moment it is online.</source>
        <translation>Les produits sur bande ne reviennent sur disque qu’une fois commandés (explorateur GEODES, espace de travail Data Workspace du CDSE). Sentinel Mirror les surveille ensuite : une seule demande de disponibilité pour tous, à cette fréquence au début, puis plus espacée (jusqu’à la valeur ci-dessous) tant que l’attente dure, et télécharge chacun dès qu’il est en ligne.</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>... backing off to</source>
        <translation>… en espaçant jusqu’à</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>The longest wait between two availability checks of ordered tape products.</source>
        <translation>L’attente la plus longue entre deux vérifications de disponibilité des produits sur bande commandés.</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>Stop watching after</source>
        <translation>Arrêter la surveillance après</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>Ordered tape products still not online after this long are no longer watched (they are listed as not arrived); the others go on.</source>
        <translation>Les produits sur bande commandés toujours pas en ligne au bout de ce délai ne sont plus surveillés (ils sont listés comme non arrivés) ; les autres continuent.</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source> h</source>
        <translation> h</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>Advanced: service URLs (private mirrors)</source>
        <translation>Avancé : adresses des services (miroirs privés)</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>GEODES</source>
        <translation>GEODES</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>CDSE catalogue</source>
        <translation>Catalogue CDSE</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>CDSE token</source>
        <translation>Jeton CDSE</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>CDSE download</source>
        <translation>Téléchargement CDSE</translation>
    </message>
    <message>
        <location filename="../ui/options.ui"/>
        <source>Reset URLs to the official services</source>
        <translation>Rétablir les adresses des services officiels</translation>
    </message>
</context>
</TS>
